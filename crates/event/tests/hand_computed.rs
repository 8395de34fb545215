//! The kernel's behaviour on models small enough to compute by hand: simultaneous events in sequence
//! order, a component that sleeps until a message wakes it, a two-hop link pipeline, and a producer
//! stalled by a one-entry buffer.

use maestro_event::parts::{BoundedFifo, Credits, Link};
use maestro_event::{Component, ComponentId, KernelError, Outbox, PortId, RunLimits, Simulation};

/// Records what reaches it.
#[derive(Debug, Default)]
struct Recorder {
    seen: Vec<(u64, u16, &'static str)>,
}

impl Component for Recorder {
    type Message = &'static str;
    fn receive(
        &mut self,
        now: u64,
        input: u16,
        message: &'static str,
        _: &mut Outbox<'_, &'static str>,
    ) {
        self.seen.push((now, input, message));
    }
}

#[test]
fn events_at_one_cycle_arrive_in_the_order_they_were_scheduled() {
    let mut sim = Simulation::new();
    let recorder = sim.add(Recorder::default());
    sim.schedule(5, recorder.port(0), "b");
    sim.schedule(5, recorder.port(1), "a");
    sim.schedule(3, recorder.port(0), "c");
    sim.schedule(5, recorder.port(0), "d");
    let summary = sim.run(RunLimits::default()).unwrap();
    assert_eq!(
        sim.component(recorder).unwrap().seen,
        vec![(3, 0, "c"), (5, 0, "b"), (5, 1, "a"), (5, 0, "d")]
    );
    assert_eq!(
        (summary.events, summary.last_cycle, summary.pending),
        (4, 5, 0)
    );
}

/// Sleeps until pinged, then sets a timer of 10 cycles; records every call.
#[derive(Debug, Default)]
struct Sleeper {
    calls: Vec<(u64, &'static str)>,
}

impl Component for Sleeper {
    type Message = &'static str;
    fn receive(
        &mut self,
        now: u64,
        _: u16,
        message: &'static str,
        outbox: &mut Outbox<'_, &'static str>,
    ) {
        self.calls.push((now, message));
        if message == "ping" {
            outbox.wake_at(now + 10, 0, "timer");
        }
    }
}

#[test]
fn a_sleeping_component_costs_nothing_until_a_message_wakes_it() {
    let mut sim = Simulation::new();
    let sleeper = sim.add(Sleeper::default());
    sim.schedule(1_000_000, sleeper.port(0), "ping");
    let summary = sim.run(RunLimits::default()).unwrap();
    // Two events in a million cycles: the ping and the timer it set.
    assert_eq!(summary.events, 2);
    assert_eq!(
        sim.component(sleeper).unwrap().calls,
        vec![(1_000_000, "ping"), (1_000_010, "timer")]
    );
}

#[test]
fn a_horizon_stops_the_run_and_keeps_later_events() {
    let mut sim = Simulation::new();
    let recorder = sim.add(Recorder::default());
    sim.schedule(5, recorder.port(0), "early");
    sim.schedule(50, recorder.port(0), "late");
    let summary = sim
        .run(RunLimits {
            horizon: Some(10),
            ..RunLimits::default()
        })
        .unwrap();
    assert_eq!((summary.events, summary.pending), (1, 1));
    let summary = sim.run(RunLimits::default()).unwrap();
    assert_eq!((summary.events, summary.last_cycle), (1, 50));
}

/// Sends itself a message every cycle, for ever.
#[derive(Debug)]
struct Ticker;

impl Component for Ticker {
    type Message = ();
    fn receive(&mut self, _: u64, _: u16, _: (), outbox: &mut Outbox<'_, ()>) {
        outbox.send(1, outbox.me().port(0), ());
    }
}

#[test]
fn a_model_that_never_settles_ends_with_an_error_not_a_hang() {
    let mut sim = Simulation::new();
    let ticker = sim.add(Ticker);
    sim.schedule(0, ticker.port(0), ());
    let error = sim
        .run(RunLimits {
            max_events: 1_000,
            ..RunLimits::default()
        })
        .unwrap_err();
    assert_eq!(
        error,
        KernelError::EventBudget {
            events: 1_000,
            cycle: 1_000
        }
    );
    assert!(error.to_string().contains("event budget exhausted"));
}

#[test]
fn a_message_to_a_missing_component_is_an_error() {
    let mut sim: Simulation<Recorder> = Simulation::new();
    sim.schedule(2, ComponentId(7).port(0), "lost");
    let error = sim.run(RunLimits::default()).unwrap_err();
    assert_eq!(
        error,
        KernelError::UnknownComponent {
            component: 7,
            components: 0,
            cycle: 2
        }
    );
}

/// A hop of a link, or the sink at the end of the chain.
#[derive(Debug)]
enum Hop {
    Link { link: Link, next: PortId },
    Sink { arrivals: Vec<(u64, u32)> },
}

impl Component for Hop {
    type Message = u32;
    fn receive(&mut self, now: u64, _: u16, flit: u32, outbox: &mut Outbox<'_, u32>) {
        match self {
            Hop::Link { link, next } => {
                let departure = link.send(now, 1);
                outbox.send_at(departure.arrives, *next, flit);
            }
            Hop::Sink { arrivals } => arrivals.push((now, flit)),
        }
    }
}

#[test]
fn two_hops_pipeline_flit_by_flit() {
    // Each hop: one flit per cycle, latency 2. Flit 0 leaves hop A at 1, reaches B at 3, leaves B at
    // 4 and arrives at 6; flit 1 is serialised behind it on A (leaves at 2, reaches B at 4) and
    // follows one cycle behind on B: it arrives at 7, not at 6 + 6 as if the hops did not pipeline.
    let mut sim = Simulation::new();
    let sink = sim.add(Hop::Sink { arrivals: vec![] });
    let second = sim.add(Hop::Link {
        link: Link::new(1, 2),
        next: sink.port(0),
    });
    let first = sim.add(Hop::Link {
        link: Link::new(1, 2),
        next: second.port(0),
    });
    sim.schedule(0, first.port(0), 0);
    sim.schedule(0, first.port(0), 1);
    sim.run(RunLimits::default()).unwrap();
    let Some(Hop::Sink { arrivals }) = sim.component(sink) else {
        panic!("the sink")
    };
    assert_eq!(arrivals, &vec![(6, 0), (7, 1)]);
}

#[test]
fn a_link_shares_a_partly_used_cycle_and_queues_in_order() {
    // Bandwidth 4: 6 elements occupy slots 0..6 (leave at 2); 2 more fill the second cycle (leave at
    // 2 as well); 4 more start in cycle 2 and leave at 3. Latency 1 on top.
    let mut link = Link::new(4, 1);
    let first = link.send(0, 6);
    let second = link.send(0, 2);
    let third = link.send(1, 4);
    assert_eq!((first.start, first.leaves, first.arrives), (0, 2, 3));
    assert_eq!((second.start, second.leaves, second.arrives), (1, 2, 3));
    assert_eq!((third.start, third.leaves, third.arrives), (2, 3, 4));
    assert_eq!(link.carried, 12);
    assert_eq!(link.free_at(), 3);
}

#[derive(Debug)]
enum Message {
    Kick,
    Item(u32),
    Credit,
    Ready,
    Done(u32),
}

/// Producer → one buffer → consumer, with credits for the buffer's entries.
#[derive(Debug)]
enum Stage {
    Producer {
        next_item: u32,
        items: u32,
        credits: Credits,
        buffer: PortId,
        sent: Vec<u64>,
    },
    Buffer {
        fifo: BoundedFifo<u32>,
        consumer_idle: bool,
        consumer: PortId,
        producer: PortId,
        overflows: u32,
    },
    Consumer {
        service: u64,
        buffer: PortId,
        done: Vec<(u32, u64)>,
    },
}

impl Component for Stage {
    type Message = Message;
    fn receive(&mut self, now: u64, _: u16, message: Message, outbox: &mut Outbox<'_, Message>) {
        match self {
            Stage::Producer {
                next_item,
                items,
                credits,
                buffer,
                sent,
            } => {
                if let Message::Credit = message {
                    credits.give_back();
                }
                while *next_item < *items && credits.try_take() {
                    outbox.send(0, *buffer, Message::Item(*next_item));
                    sent.push(now);
                    *next_item += 1;
                }
            }
            Stage::Buffer {
                fifo,
                consumer_idle,
                consumer,
                producer,
                overflows,
            } => {
                match message {
                    Message::Item(item) if fifo.push(item).is_err() => *overflows += 1,
                    Message::Ready => *consumer_idle = true,
                    _ => {}
                }
                if *consumer_idle {
                    if let Some(item) = fifo.pop() {
                        *consumer_idle = false;
                        outbox.send(0, *consumer, Message::Item(item));
                        outbox.send(0, *producer, Message::Credit);
                    }
                }
            }
            Stage::Consumer {
                service,
                buffer,
                done,
            } => match message {
                Message::Item(item) => outbox.wake_at(now + *service, 0, Message::Done(item)),
                Message::Done(item) => {
                    done.push((item, now));
                    outbox.send(0, *buffer, Message::Ready);
                }
                _ => {}
            },
        }
    }
}

/// Runs three items through a buffer of `capacity` entries to a consumer that needs 3 cycles each;
/// returns when each item was sent, when each was done, and the producer's credit stalls.
fn pipeline(capacity: usize) -> (Vec<u64>, Vec<(u32, u64)>, u64) {
    let mut sim = Simulation::new();
    // Ids are positions: producer 0, buffer 1, consumer 2.
    let producer = sim.add(Stage::Producer {
        next_item: 0,
        items: 3,
        credits: Credits::new(capacity as u64),
        buffer: ComponentId(1).port(0),
        sent: vec![],
    });
    let buffer = sim.add(Stage::Buffer {
        fifo: BoundedFifo::new(capacity),
        consumer_idle: true,
        consumer: ComponentId(2).port(0),
        producer: producer.port(0),
        overflows: 0,
    });
    sim.add(Stage::Consumer {
        service: 3,
        buffer: buffer.port(0),
        done: vec![],
    });
    sim.schedule(0, producer.port(0), Message::Kick);
    sim.run(RunLimits::default()).unwrap();
    let Stage::Producer { sent, credits, .. } = &sim.components()[0] else {
        panic!("producer")
    };
    let Stage::Buffer {
        overflows, fifo, ..
    } = &sim.components()[1]
    else {
        panic!("buffer")
    };
    assert_eq!(*overflows, 0, "credits never let the buffer overflow");
    assert!(fifo.peak <= capacity);
    let Stage::Consumer { done, .. } = &sim.components()[2] else {
        panic!("consumer")
    };
    (sent.clone(), done.clone(), credits.stalls)
}

#[test]
fn a_full_one_entry_buffer_stalls_its_producer() {
    // Item 0 goes straight through to the consumer (busy 0–3) and returns its credit at 0; item 1
    // waits in the buffer; item 2 has no credit until item 1 leaves the buffer at 3.
    let (sent, done, stalls) = pipeline(1);
    assert_eq!(sent, vec![0, 0, 3]);
    assert_eq!(done, vec![(0, 3), (1, 6), (2, 9)]);
    assert_eq!(stalls, 2, "the producer found no credit at 0 twice");
    // With room for all three, nothing stalls the producer; the consumer sets the pace either way.
    let (sent, done, stalls) = pipeline(3);
    assert_eq!(sent, vec![0, 0, 0]);
    assert_eq!(done, vec![(0, 3), (1, 6), (2, 9)]);
    assert_eq!(stalls, 0);
}
