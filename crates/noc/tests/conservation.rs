//! Conservation laws over many small random runs: every injected or replicated flit is ejected
//! or absorbed,
//! every unicast packet is delivered exactly once, and every multicast destination exactly once —
//! on meshes and tori, with dimension-order and adaptive routing, concentration, small buffers and
//! multicast and reduction both on and off. Same seed, same deliveries.

use maestro_noc::rng::Rng;
use maestro_noc::{
    Delivery, Destination, Network, NocConfig, PacketRequest, RoutingKind, TopologyKind,
};

fn configurations() -> Vec<NocConfig> {
    let base = NocConfig {
        k: 4,
        num_vcs: 2,
        vc_buf_size: 2,
        ..NocConfig::default()
    };
    vec![
        base.clone(),
        NocConfig {
            routing: RoutingKind::MinimalAdaptive,
            num_vcs: 3,
            ..base.clone()
        },
        NocConfig {
            topology: TopologyKind::Torus,
            channel_latency: 2,
            ..base.clone()
        },
        NocConfig {
            concentration: 2,
            vc_buf_size: 1,
            credit_delay: 2,
            ..base.clone()
        },
        NocConfig {
            multicast: false,
            reduction: false,
            routing_delay: 2,
            st_prepare_delay: 1,
            ..base
        },
    ]
}

fn random_run(config: &NocConfig, seed: u64) -> (Vec<Delivery>, u64) {
    let mut network = Network::new(config).expect("valid");
    let nodes = network.topology().nodes();
    let mut rng = Rng::new(seed);
    let mut expected = 0u64;
    let mesh = config.topology == TopologyKind::Mesh;
    for tag in 0..120u64 {
        let source = rng.below(nodes as u32) as usize;
        let size = 1 + rng.below(4);
        let kind = rng.below(if mesh { 3 } else { 1 });
        let destination = match kind {
            0 => {
                expected += 1;
                Destination::Unicast(rng.below(nodes as u32) as usize)
            }
            1 => {
                let mut list: Vec<usize> =
                    (0..3).map(|_| rng.below(nodes as u32) as usize).collect();
                list.sort_unstable();
                list.dedup();
                expected += list.len() as u64;
                Destination::Multicast(list)
            }
            _ => {
                let mut sources: Vec<usize> =
                    (0..3).map(|_| rng.below(nodes as u32) as usize).collect();
                sources.push(source);
                sources.sort_unstable();
                sources.dedup();
                let sink = rng.below(nodes as u32) as usize;
                expected += 1;
                for &contributor in &sources {
                    network
                        .inject(&PacketRequest {
                            source: contributor,
                            destination: Destination::Reduction {
                                group: tag,
                                sources: sources.clone(),
                                sink,
                            },
                            size,
                            tag,
                            measured: true,
                        })
                        .expect("valid");
                }
                network
                    .advance_to(network.now() + 1 + u64::from(rng.below(3)))
                    .expect("runs");
                continue;
            }
        };
        network
            .inject(&PacketRequest {
                source,
                destination,
                size,
                tag,
                measured: true,
            })
            .expect("valid");
        network
            .advance_to(network.now() + u64::from(rng.below(3)))
            .expect("runs");
    }
    network.drain(1_000_000).expect("drains");
    let stats = network.stats();
    assert_eq!(
        stats.flits_injected + stats.flits_replicated,
        stats.flits_ejected + stats.flits_absorbed,
        "flits conserved in {config:?}"
    );
    assert_eq!(network.flits_in_network(), 0);
    let deliveries = network.take_deliveries();
    (deliveries, expected)
}

#[test]
fn flits_and_packets_are_conserved_and_runs_repeat() {
    for config in configurations() {
        for seed in 0..4 {
            let (deliveries, expected) = random_run(&config, seed);
            assert_eq!(deliveries.len() as u64, expected, "{config:?} seed {seed}");
            for delivery in &deliveries {
                assert!(
                    delivery.arrived >= delivery.injected && delivery.injected >= delivery.created
                );
            }
            let (again, _) = random_run(&config, seed);
            assert_eq!(deliveries, again, "deterministic");
        }
    }
}
