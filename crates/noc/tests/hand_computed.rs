//! Hand-computed timings of single packets and small scenarios, against the pipeline of
//! docs/noc.md: a flit leaves its source at cycle 0, is buffered in the first router at
//! 1 + terminal_latency = 2, bids for a VC at 2 + routing_delay = 3, for the switch at
//! 3 + vc_alloc_delay = 4, and each further router adds routing + VC + switch allocation +
//! crossbar + channel = 1 + 1 + 1 + 1 + 1 = 5 cycles; ejection takes sw_alloc_delay +
//! crossbar + terminal_latency = 3 cycles after the last switch grant.

use maestro_noc::{
    Delivery, Destination, Network, NocConfig, NocError, PacketRequest, TopologyKind,
};

fn mesh(k: u32) -> NocConfig {
    NocConfig {
        k,
        num_vcs: 2,
        vc_buf_size: 4,
        ..NocConfig::default()
    }
}

fn send_all(config: &NocConfig, packets: &[(usize, Destination, u32)]) -> (Network, Vec<Delivery>) {
    let mut network = Network::new(config).expect("valid configuration");
    for (tag, (source, destination, size)) in packets.iter().enumerate() {
        network
            .inject(&PacketRequest {
                source: *source,
                destination: destination.clone(),
                size: *size,
                tag: tag as u64,
                measured: true,
            })
            .expect("valid packet");
    }
    network.drain(100_000).expect("drains");
    let mut deliveries = network.take_deliveries();
    deliveries.sort_by_key(|delivery| (delivery.tag, delivery.node));
    (network, deliveries)
}

fn latency(config: &NocConfig, source: usize, destination: usize, size: u32) -> u64 {
    let (_, deliveries) = send_all(config, &[(source, Destination::Unicast(destination), size)]);
    assert_eq!(deliveries.len(), 1);
    deliveries[0].arrived - deliveries[0].created
}

#[test]
fn one_flit_to_itself_one_hop_and_across_the_diameter() {
    let config = mesh(4);
    // 0 router-to-router hops: 2 (injection) + 2 (route, VC) + 3 (switch, crossbar, ejection) = 7.
    assert_eq!(latency(&config, 5, 5, 1), 7);
    // One hop east: + 5.
    assert_eq!(latency(&config, 0, 1, 1), 12);
    // The diameter of a 4x4 mesh, 6 hops: 7 + 6 * 5 = 37 (BookSim2's maximum at low load).
    assert_eq!(latency(&config, 0, 15, 1), 37);
    // Deeper pipeline: routing_delay 2 adds one cycle per router (7 routers).
    let deeper = NocConfig {
        routing_delay: 2,
        ..config.clone()
    };
    assert_eq!(latency(&deeper, 0, 15, 1), 44);
    let slower_switch = NocConfig {
        st_final_delay: 2,
        ..config
    };
    assert_eq!(latency(&slower_switch, 0, 15, 1), 44);
}

#[test]
fn a_four_flit_packet_serialises_one_flit_per_cycle() {
    let config = mesh(4);
    assert_eq!(latency(&config, 5, 5, 4), 7 + 3);
    assert_eq!(latency(&config, 0, 15, 4), 37 + 3);
}

#[test]
fn credit_back_pressure_with_small_buffers() {
    // With one-flit buffers each flit waits for the ejection credit's round trip: the switch grant
    // at w, arrival at w + 3, credit back at the router at w + 5: one flit every 5 cycles.
    let one = NocConfig {
        vc_buf_size: 1,
        ..mesh(4)
    };
    assert_eq!(latency(&one, 5, 5, 4), 7 + 3 * 5);
    // Two-flit buffers: flits leave at 4, 5, 9, 10 -> tail arrives at 13.
    let two = NocConfig {
        vc_buf_size: 2,
        ..mesh(4)
    };
    assert_eq!(latency(&two, 5, 5, 4), 13);
    // credit_delay 2 lengthens the round trip to 7 cycles.
    let delayed = NocConfig {
        vc_buf_size: 1,
        credit_delay: 2,
        ..mesh(4)
    };
    assert_eq!(latency(&delayed, 5, 5, 2), 14);
}

#[test]
fn two_packets_contending_for_one_output() {
    // Nodes 0 and 8 of a 4x4 mesh both send one flit to node 4 (between them, column 0): both
    // reach router 4 at cycle 7 and bid for its ejection port at 9. The round-robin pointer
    // starts at input 0 (east) ... the north (2) and south (3) inputs compete: south (from node 0,
    // arriving on port 3) has the larger distance from pointer 0 than north (port 2) -> north wins.
    let config = mesh(4);
    let (_, deliveries) = send_all(
        &config,
        &[
            (0, Destination::Unicast(4), 1),
            (8, Destination::Unicast(4), 1),
        ],
    );
    assert_eq!(deliveries.len(), 2);
    let from_0 = deliveries[0].arrived;
    let from_8 = deliveries[1].arrived;
    // The winner takes 7 + 5 = 12 cycles; the loser one more.
    assert_eq!(from_8, 12, "north input wins");
    assert_eq!(from_0, 13, "south input loses one cycle");
}

#[test]
fn multicast_counts_each_shared_link_once() {
    let config = mesh(4);
    // From node 0 to nodes 3, 7 and 15 (column 3, rows 0, 1, 3): the X-first tree is 0->1->2->3
    // (3 links) then 3->7->11->15 (3 links): 6 router-to-router links, plus 3 ejections.
    let (network, deliveries) =
        send_all(&config, &[(0, Destination::Multicast(vec![3, 7, 15]), 4)]);
    assert_eq!(deliveries.len(), 3);
    let stats = network.stats();
    let network_link_flits: u64 = stats
        .links
        .iter()
        .filter(|link| link.port < 4)
        .map(|link| link.flits)
        .sum();
    assert_eq!(network_link_flits, 6 * 4);
    assert_eq!(stats.flits_ejected, 3 * 4);
    // Router 3 splits into its terminal and north, router 7 likewise; routers 1, 2 and 11 have one
    // branch: two extra copies per flit.
    assert_eq!(
        stats.flits_injected + stats.flits_replicated,
        stats.flits_ejected
    );
    assert_eq!(stats.flits_replicated, 2 * 4);
    // Without multicast: three unicasts use 3 + 4 + 6 = 13 links.
    let off = NocConfig {
        multicast: false,
        ..config
    };
    let (network, deliveries) = send_all(&off, &[(0, Destination::Multicast(vec![3, 7, 15]), 4)]);
    assert_eq!(deliveries.len(), 3);
    let links: u64 = network
        .stats()
        .links
        .iter()
        .filter(|link| link.port < 4)
        .map(|link| link.flits)
        .sum();
    assert_eq!(links, 13 * 4);
}

#[test]
fn reduction_of_four_partials_meeting_in_two_routers() {
    // Four sources 0, 2 (row 0) and 8, 10 (row 2) reduce to node 13 (x 1, y 3). Dimension-order
    // paths: 0 -> 1 -> 5 -> 9 -> 13 and 2 -> 1 -> ...: 0 and 2 meet at router 1; 8 -> 9 and
    // 10 -> 9 meet at router 9, where router 1's combined packet also arrives: two merge points
    // (1 and 9), and a single packet reaches the sink.
    let config = mesh(4);
    let sources = vec![0, 2, 8, 10];
    let packets: Vec<(usize, Destination, u32)> = sources
        .iter()
        .map(|&source| {
            (
                source,
                Destination::Reduction {
                    group: 7,
                    sources: sources.clone(),
                    sink: 13,
                },
                1,
            )
        })
        .collect();
    let (network, deliveries) = send_all(&config, &packets);
    assert_eq!(deliveries.len(), 1);
    let stats = network.stats();
    assert_eq!(
        stats.flits_ejected, 1,
        "one combined packet reaches the sink"
    );
    assert_eq!(
        stats.flits_absorbed, 5,
        "four partials and router 1's sum are absorbed"
    );
    // Conservation: every injected flit is ejected or absorbed.
    assert_eq!(
        stats.flits_injected,
        stats.flits_ejected + stats.flits_absorbed
    );
    let off = NocConfig {
        reduction: false,
        ..config
    };
    let (network, deliveries) = send_all(&off, &packets);
    assert_eq!(deliveries.len(), 1);
    assert_eq!(network.stats().flits_ejected, 4);
}

#[test]
fn a_torus_without_dateline_deadlocks_and_names_routers() {
    let config = NocConfig {
        topology: TopologyKind::Torus,
        k: 4,
        num_vcs: 1,
        vc_buf_size: 1,
        channel_latency: 2,
        dateline: false,
        deadlock_timeout: 200,
        ..NocConfig::default()
    };
    let mut network = Network::new(&config).expect("valid");
    // Every node sends long packets two hops east around each ring: a cyclic dependency.
    for round in 0..8 {
        for node in 0..16 {
            let (x, y) = (node % 4, node / 4);
            network
                .inject(&PacketRequest {
                    source: node,
                    destination: Destination::Unicast((x + 2) % 4 + 4 * y),
                    size: 8,
                    tag: round,
                    measured: false,
                })
                .expect("valid");
        }
    }
    match network.drain(1_000_000) {
        Err(NocError::Deadlock { routers, .. }) => assert!(routers.contains("(0,0)"), "{routers}"),
        other => panic!("expected a deadlock, found {other:?}"),
    }
    // With dateline VCs the same traffic drains.
    let safe = NocConfig {
        num_vcs: 2,
        dateline: true,
        ..config
    };
    let mut network = Network::new(&safe).expect("valid");
    for round in 0..8 {
        for node in 0..16 {
            let (x, y) = (node % 4, node / 4);
            network
                .inject(&PacketRequest {
                    source: node,
                    destination: Destination::Unicast((x + 2) % 4 + 4 * y),
                    size: 8,
                    tag: round,
                    measured: false,
                })
                .expect("valid");
        }
    }
    network
        .drain(1_000_000)
        .expect("dateline VCs prevent the deadlock");
    let stats = network.stats();
    assert_eq!(stats.flits_injected, stats.flits_ejected);
}
