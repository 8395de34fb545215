//! Components, ports and the run loop. A model owns its components in one vector and addresses them
//! by [`ComponentId`]; a component reacts to one message at a time and sends messages through an
//! [`Outbox`], each to an input port of a component after a delay. The kernel delivers them in
//! `(cycle, sequence)` order, so simultaneous messages arrive in the order they were sent.

use crate::queue::EventQueue;
use crate::Cycle;

/// A component of the model: an index into the simulation's component vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentId(pub u32);

/// An input port: a component and which of its inputs (the component gives the numbers meaning).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PortId {
    pub component: ComponentId,
    pub input: u16,
}

impl ComponentId {
    /// This component's input `input`.
    pub fn port(self, input: u16) -> PortId {
        PortId {
            component: self,
            input,
        }
    }
}

/// What a model is made of. A model with several kinds of component uses an enum of them, so that
/// the kernel dispatches statically and the model can inspect its components after a run.
pub trait Component {
    type Message;

    /// Reacts to `message` arriving on input `input` at cycle `now`.
    fn receive(
        &mut self,
        now: Cycle,
        input: u16,
        message: Self::Message,
        outbox: &mut Outbox<'_, Self::Message>,
    );
}

/// Where a component puts the messages it sends while it reacts to one.
#[derive(Debug)]
pub struct Outbox<'a, M> {
    now: Cycle,
    me: ComponentId,
    sent: &'a mut Vec<(Cycle, PortId, M)>,
}

impl<M> Outbox<'_, M> {
    /// The current cycle.
    pub fn now(&self) -> Cycle {
        self.now
    }

    /// The component that is reacting.
    pub fn me(&self) -> ComponentId {
        self.me
    }

    /// Delivers `message` to `to` at `cycle` (not before now: an earlier cycle is taken as now).
    pub fn send_at(&mut self, cycle: Cycle, to: PortId, message: M) {
        self.sent.push((cycle.max(self.now), to, message));
    }

    /// Delivers `message` to `to` `delay` cycles from now (0: later in this cycle).
    pub fn send(&mut self, delay: Cycle, to: PortId, message: M) {
        self.send_at(self.now.saturating_add(delay), to, message);
    }

    /// Wakes this component on its input `input` at `cycle` with `message`.
    pub fn wake_at(&mut self, cycle: Cycle, input: u16, message: M) {
        let me = self.me.port(input);
        self.send_at(cycle, me, message);
    }
}

/// When a run stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunLimits {
    /// Deliver no event later than this cycle (`None`: run until no event is left).
    pub horizon: Option<Cycle>,
    /// Fail after delivering this many events in one run: a model that never settles ends with an
    /// error, never a hang.
    pub max_events: u64,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            horizon: None,
            max_events: u64::MAX,
        }
    }
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunSummary {
    /// The cycle of the last event delivered (0 if none).
    pub last_cycle: Cycle,
    /// Events delivered in this run.
    pub events: u64,
    /// Events still queued (beyond the horizon).
    pub pending: usize,
}

/// Why a run failed. Both are fatal for the run; the model's state is left as it was when it stopped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KernelError {
    /// The run delivered its whole event budget and events were still pending.
    #[error("the simulation delivered {events} events and had not settled at cycle {cycle} (event budget exhausted)")]
    EventBudget { events: u64, cycle: Cycle },
    /// A message was addressed to a component the model does not have.
    #[error("a message at cycle {cycle} is addressed to component {component}, but the model has {components} components")]
    UnknownComponent {
        component: u32,
        components: usize,
        cycle: Cycle,
    },
}

/// A model and its event queue.
#[derive(Debug)]
pub struct Simulation<C: Component> {
    components: Vec<C>,
    queue: EventQueue<(PortId, C::Message)>,
    now: Cycle,
    sent: Vec<(Cycle, PortId, C::Message)>,
}

impl<C: Component> Default for Simulation<C> {
    fn default() -> Self {
        Simulation {
            components: Vec::new(),
            queue: EventQueue::new(),
            now: 0,
            sent: Vec::new(),
        }
    }
}

impl<C: Component> Simulation<C> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a component; its id is its position.
    pub fn add(&mut self, component: C) -> ComponentId {
        let id = ComponentId(u32::try_from(self.components.len()).unwrap_or(u32::MAX));
        self.components.push(component);
        id
    }

    pub fn component(&self, id: ComponentId) -> Option<&C> {
        self.components.get(id.0 as usize)
    }

    pub fn component_mut(&mut self, id: ComponentId) -> Option<&mut C> {
        self.components.get_mut(id.0 as usize)
    }

    pub fn components(&self) -> &[C] {
        &self.components
    }

    /// The cycle of the last event delivered.
    pub fn now(&self) -> Cycle {
        self.now
    }

    /// Seeds the model: `message` reaches `to` at `cycle` (not before now).
    pub fn schedule(&mut self, cycle: Cycle, to: PortId, message: C::Message) {
        self.queue.push(cycle.max(self.now), (to, message));
    }

    /// Delivers events in `(cycle, sequence)` order until none is left, the horizon is passed, or the
    /// event budget is spent.
    pub fn run(&mut self, limits: RunLimits) -> Result<RunSummary, KernelError> {
        let mut events = 0u64;
        while let Some(cycle) = self.queue.peek_cycle() {
            if limits.horizon.is_some_and(|horizon| cycle > horizon) {
                break;
            }
            if events == limits.max_events {
                return Err(KernelError::EventBudget { events, cycle });
            }
            let Some((cycle, (to, message))) = self.queue.pop() else {
                break;
            };
            self.now = cycle;
            events += 1;
            let components = self.components.len();
            let Some(component) = self.components.get_mut(to.component.0 as usize) else {
                return Err(KernelError::UnknownComponent {
                    component: to.component.0,
                    components,
                    cycle,
                });
            };
            let mut outbox = Outbox {
                now: cycle,
                me: to.component,
                sent: &mut self.sent,
            };
            component.receive(cycle, to.input, message, &mut outbox);
            for (at, port, message) in self.sent.drain(..) {
                self.queue.push(at, (port, message));
            }
        }
        Ok(RunSummary {
            last_cycle: self.now,
            events,
            pending: self.queue.len(),
        })
    }
}
