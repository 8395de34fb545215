//! Small layers whose timing and traffic were worked out by hand; the computation is in each test's
//! comments. Common hardware: SIMD 1, no MAC pipeline latency, large L1/L2, L2 ports 1000 elements/cycle
//! (one cycle per transfer, never binding), NoC 1 element/cycle with hop latency 1, off-chip 1000
//! elements/cycle with latency 0. Every layer fits in L2, so step 0 first loads inputs and weights from
//! off-chip (one cycle), and the outputs are written back after the last collection (one cycle).

use maestro_ir::directive::{ClusterDirective, ClusterKind};
use maestro_ir::{
    Accelerator, Dim, Directive, Layer, LayerType, MapDirective, Mapping, NocTopology, Strides,
};
use maestro_sim::{LayerSimReport, SimBuilder};

fn hardware(pes: u64, multicast: bool, reduction: bool, topology: NocTopology) -> Accelerator {
    let mut hw = Accelerator {
        num_pes: pes,
        l1_size: 100,
        l2_size: 1 << 20,
        l2_bandwidth: 1000,
        ..Accelerator::default()
    };
    hw.distribution_noc.bandwidth = 1;
    hw.distribution_noc.hop_latency = 1;
    hw.distribution_noc.multicast = multicast;
    hw.distribution_noc.topology = topology;
    hw.collection_noc.bandwidth = 1;
    hw.collection_noc.hop_latency = 1;
    hw.collection_noc.implicit_reduction = reduction;
    hw.collection_noc.topology = topology;
    hw.offchip.bandwidth = 1000;
    hw.offchip.latency = 0;
    hw
}

fn gemm(m: u64, n: u64, k: u64, directives: Vec<Directive>) -> Layer {
    Layer {
        name: "gemm".into(),
        layer_type: LayerType::Gemm,
        dimensions: vec![(Dim::M, m), (Dim::N, n), (Dim::K, k)],
        strides: Strides::default(),
        mapping: Some(Mapping::new(directives)),
    }
}

fn temporal(size: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::temporal(size, size, dim))
}

fn spatial(size: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::spatial(size, size, dim))
}

fn run(hw: &Accelerator, layer: &Layer) -> LayerSimReport {
    SimBuilder::new(hw)
        .build()
        .expect("valid hardware")
        .run_layer(layer)
        .expect("simulates")
}

#[test]
fn one_pe_walks_two_rows() {
    // GEMM M=2 N=1 K=4 on one PE, one row of M per step.
    // Step 0: off-chip 12 elements arrive at 1. Input row (4) on the bus 1..5, arrives 6; weights (4)
    //   5..9, arrive 10. Compute 4 MACs 10..14. The output tile changes next step: 1 element 14..15,
    //   arrives 16.
    // Step 1 (double-buffered, the slot is free at 0): the next input row waits for the bus, 9..13,
    //   arrives 14; weights are kept. Compute 14..18; output 18..19, arrives 20. Epilogue 20..21.
    let layer = gemm(
        2,
        1,
        4,
        vec![
            temporal(1, Dim::M),
            temporal(1, Dim::N),
            temporal(4, Dim::K),
        ],
    );
    let report = run(&hardware(1, true, true, NocTopology::Bus), &layer);
    assert_eq!(report.cycles, 21);
    assert_eq!(report.macs, 8);
    assert_eq!(report.steps, 2);
    assert!(report.double_buffered);
    assert_eq!(report.tensors.input.noc_elements_delivered, 8);
    assert_eq!(report.tensors.weight.noc_elements_delivered, 4);
    assert_eq!(report.tensors.output.final_writes, 2);
    assert_eq!(report.stalls.computing, 8);
    // PE 0 waits 10 cycles before step 0 (1 for off-chip, 9 for the bus); step 1 starts when step 0 ends.
    assert_eq!(report.stalls.waiting_for_offchip, 1);
    assert_eq!(report.stalls.waiting_for_input, 9);
}

#[test]
fn two_pes_share_weights_by_multicast() {
    // GEMM M=2 N=1 K=4, M spread over 2 PEs: each needs its own input row (4) and the same weights (4).
    // Multicast: input0 1..5 (arrives 6), weights to both 5..9 (10), input1 9..13 (14).
    //   PE0 computes 10..14, PE1 14..18; outputs 14..15 (16) and 18..19 (20); epilogue 20..21.
    let layer = gemm(2, 1, 4, vec![spatial(1, Dim::M), temporal(4, Dim::K)]);
    let report = run(&hardware(2, true, true, NocTopology::Bus), &layer);
    assert_eq!(report.cycles, 21);
    assert_eq!(report.tensors.weight.noc_elements_sent, 4);
    assert_eq!(report.tensors.weight.noc_elements_delivered, 8);
    assert_eq!(report.tensors.weight.l2_reads, 4);

    // Unicast: input0 1..5 (6), weights0 5..9 (10), input1 9..13 (14), weights1 13..17 (18).
    //   PE0 computes 10..14, PE1 18..22; outputs arrive 16 and 24; epilogue 24..25.
    let report = run(&hardware(2, false, true, NocTopology::Bus), &layer);
    assert_eq!(report.cycles, 25);
    assert_eq!(report.tensors.weight.noc_elements_sent, 8);
    assert_eq!(report.tensors.weight.noc_elements_delivered, 8);
    assert_eq!(report.tensors.weight.l2_reads, 8);
}

#[test]
fn spatial_reduction_with_and_without_a_reduction_tree() {
    // GEMM M=1 N=1 K=4, K split in halves over 2 PEs: both produce partial sums of the same output.
    // Inputs and weights (2 each) on the bus: 1..3 (4), 3..5 (6), 5..7 (8), 7..9 (10).
    // PE0 computes 6..8, PE1 10..12.
    // With the tree: one reduced element leaves at 12..13 (14); 1 addition; epilogue 14..15.
    let layer = gemm(1, 1, 4, vec![spatial(2, Dim::K), temporal(1, Dim::M)]);
    let report = run(&hardware(2, true, true, NocTopology::Bus), &layer);
    assert_eq!(report.cycles, 15);
    assert_eq!(report.tensors.output.reductions, 1);
    assert_eq!(report.tensors.output.noc_elements_sent, 1);
    assert_eq!(report.tensors.output.final_writes, 1);
    assert_eq!(
        report.tensors.output.l2_reads, 1,
        "only the epilogue reads the result"
    );

    // Without: PE0's partial leaves 8..9 (10), PE1's 12..13 (14) and L2 reads, adds and writes it back.
    let report = run(&hardware(2, true, false, NocTopology::Bus), &layer);
    assert_eq!(report.cycles, 15);
    assert_eq!(report.tensors.output.reductions, 0);
    assert_eq!(report.tensors.output.noc_elements_sent, 2);
    assert_eq!(report.tensors.output.l2_writes, 2);
    assert_eq!(
        report.tensors.output.l2_reads, 2,
        "one read-modify-write and the epilogue"
    );
    assert_eq!(report.tensors.output.final_writes, 1);
    assert_eq!(report.tensors.output.partial_sum_writes, 1);
}

#[test]
fn an_edge_fold_leaves_a_pe_idle() {
    // GEMM M=3 N=1 K=2, M over 2 PEs: fold 0 gives rows 0 and 1, fold 1 gives row 2 to PE0 only.
    // Weights (2) are multicast once in fold 0 and kept by PE0; inputs 3 rows × 2.
    let layer = gemm(3, 1, 2, vec![spatial(1, Dim::M), temporal(2, Dim::K)]);
    let report = run(&hardware(2, true, true, NocTopology::Bus), &layer);
    assert_eq!(report.steps, 2);
    assert_eq!(report.macs, 6);
    assert_eq!(report.tensors.weight.noc_elements_sent, 2);
    assert_eq!(report.tensors.weight.noc_elements_delivered, 4);
    assert_eq!(report.tensors.input.noc_elements_delivered, 6);
    assert_eq!(report.tensors.output.final_writes, 3);
}

#[test]
fn stride_two_windows_overlap_by_one_row() {
    // CONV K=1 C=1 R=3 S=1 Y=7 X=1, stride 2: Y' = (7−3)/2+1 = 3. `TemporalMap(3,1) Y` becomes one output
    // row per step; input rows [0,3), [2,5), [4,7): 3 + 2 + 2 = 7 new rows delivered.
    let layer = Layer {
        name: "strided".into(),
        layer_type: LayerType::Conv,
        dimensions: vec![
            (Dim::K, 1),
            (Dim::C, 1),
            (Dim::R, 3),
            (Dim::S, 1),
            (Dim::Y, 7),
            (Dim::X, 1),
        ],
        strides: Strides { y: 2, x: 1 },
        mapping: Some(Mapping::new(vec![
            Directive::Map(MapDirective::temporal(3, 1, Dim::Y)),
            temporal(3, Dim::R),
        ])),
    };
    let report = run(&hardware(1, true, true, NocTopology::Bus), &layer);
    assert_eq!(report.steps, 3);
    assert_eq!(report.macs, 9);
    assert_eq!(report.tensors.input.noc_elements_delivered, 7);
    assert_eq!(report.tensors.weight.noc_elements_delivered, 3);
    assert_eq!(report.tensors.output.final_writes, 3);
}

#[test]
fn two_cluster_levels_on_a_bus_and_a_tree() {
    // GEMM M=4 N=1 K=2 on 4 PEs: 2 clusters of 2 PEs, M split over clusters (2 rows each), then over PEs.
    // Step 0 loads 10 elements from off-chip (ready at 1). Transfers in order: input0, weights (to all 4),
    // input1, input2, input3, each 2 elements.
    // Bus (1 hop): 1..3 (4), 3..5 (6), 5..7 (8), 7..9 (10), 9..11 (12). PEs compute 2 MACs at
    //   6..8, 8..10, 10..12, 12..14; outputs arrive 10, 12, 14, 16; epilogue 16..17.
    let cluster = Directive::Cluster(ClusterDirective {
        size: 2,
        kind: ClusterKind::Physical,
    });
    let layer = gemm(
        4,
        1,
        2,
        vec![
            spatial(2, Dim::M),
            temporal(2, Dim::K),
            cluster,
            spatial(1, Dim::M),
        ],
    );
    let report = run(&hardware(4, true, true, NocTopology::Bus), &layer);
    assert_eq!(report.cycles, 17);
    assert_eq!(report.pes_used, 4);
    assert_eq!(report.tensors.weight.noc_elements_delivered, 8);

    // Tree (root, cluster link, PE link: 3 hops): the root is shared, so occupancies are the same, but
    // everything arrives 2 cycles later: inputs/weights at 6, 8, 10, 12, 14; PEs compute 8..10, 10..12,
    // 12..14, 14..16; outputs occupy 10..11, 12..13, 14..15, 16..17 and arrive 3 hops later, the last at
    // 20; epilogue 20..21.
    let report = run(&hardware(4, true, true, NocTopology::Tree), &layer);
    assert_eq!(report.cycles, 21);
    let root = report
        .links
        .iter()
        .find(|l| l.name == "distribution root")
        .expect("a root link");
    assert_eq!(root.busy_cycles, 10);
}

#[test]
fn steady_state_steps_are_skipped_in_closed_form_without_changing_the_result() {
    // 64 rows on one PE: after a couple of steps every step repeats the previous one shifted in time.
    let layer = gemm(
        64,
        1,
        4,
        vec![
            temporal(1, Dim::N),
            temporal(4, Dim::K),
            temporal(1, Dim::M),
        ],
    );
    let hw = hardware(1, true, true, NocTopology::Bus);
    let skipping = SimBuilder::new(&hw)
        .build()
        .unwrap()
        .run_layer(&layer)
        .unwrap();
    let stepping = SimBuilder::new(&hw)
        .skip_steady_state(false)
        .build()
        .unwrap()
        .run_layer(&layer)
        .unwrap();
    assert!(
        skipping.steps_skipped_in_closed_form > 50,
        "{}",
        skipping.steps_skipped_in_closed_form
    );
    assert_eq!(stepping.steps_skipped_in_closed_form, 0);
    assert_eq!(
        LayerSimReport {
            steps_skipped_in_closed_form: 0,
            ..skipping
        },
        stepping
    );
}

#[test]
fn a_mesh_feeds_each_row_from_the_west_edge() {
    // GEMM M=4 N=1 K=2, M over 4 PEs on a 2×2 mesh: PEs 0,1 in row 0 and 2,3 in row 1, each row fed
    // through its own port at the west edge. Off-chip delivers the 10 elements at cycle 1.
    // Transfers in order (2 elements each; port = 2 cycles at bandwidth 1, one hop per link):
    //   input0 → PE0: row-0 port 1..3, arrives 4.
    //   weights → all: row-0 port 3..5, row-0 link 1..3, row-1 port 1..3, row-1 link 1..3; two hops
    //     to column 1: arrives 7.
    //   input1 → PE1: row-0 port 5..7, row-0 link 3..5; arrives 9.
    //   input2 → PE2: row-1 port 3..5; arrives 6.
    //   input3 → PE3: row-1 port 5..7, row-1 link 3..5; arrives 9.
    // PEs 0 and 2 compute 7..9, PEs 1 and 3 compute 9..11. Outputs (1 element): PE0 and PE2 use
    // their rows' collection ports 9..10 and arrive 11; PE1 and PE3 occupy link and port 11..12 and
    // arrive 14 (two hops). The epilogue writes 4 elements off-chip: 14..15.
    let layer = gemm(4, 1, 2, vec![spatial(1, Dim::M), temporal(2, Dim::K)]);
    let report = run(&hardware(4, true, true, NocTopology::Mesh), &layer);
    assert_eq!(report.cycles, 15);
    assert_eq!(report.tensors.weight.noc_elements_sent, 2);
    assert_eq!(report.tensors.weight.noc_elements_delivered, 8);
    let port = report
        .links
        .iter()
        .find(|l| l.name == "distribution mesh row 0 port")
        .expect("a row port");
    assert_eq!(port.busy_cycles, 6);
}

#[test]
fn the_two_networks_may_have_different_topologies() {
    // The same layer with a tree for distribution and a bus for collection: the tree's three hops
    // delay arrivals by two cycles compared with the bus (see `two_cluster_levels_on_a_bus_and_a_tree`:
    // inputs arrive at 6, 8, 10, 12, 14 and PEs compute 8..10, 10..12, 12..14, 14..16); outputs then
    // take the bus, one hop: 10..11, 12..13, 14..15, 16..17, the last arriving at 18; epilogue 18..19.
    let cluster = Directive::Cluster(ClusterDirective {
        size: 2,
        kind: ClusterKind::Physical,
    });
    let layer = gemm(
        4,
        1,
        2,
        vec![
            spatial(2, Dim::M),
            temporal(2, Dim::K),
            cluster,
            spatial(1, Dim::M),
        ],
    );
    let mut hw = hardware(4, true, true, NocTopology::Tree);
    hw.collection_noc.topology = NocTopology::Bus;
    let report = run(&hw, &layer);
    assert_eq!(report.cycles, 19);
    assert!(report.links.iter().any(|l| l.name == "collection bus"));
    assert!(report.links.iter().any(|l| l.name == "distribution root"));
}

#[test]
fn outputs_stream_off_chip_and_loads_queue_when_l2_cannot_hold_the_layer() {
    // GEMM M=2 N=1 K=4 on one PE as in `one_pe_walks_two_rows`, but L2 holds 9 elements (< 12) and
    // off-chip moves 2 elements/cycle with latency 3. Working sets: step 0 needs input row 0 and the
    // weights (8 elements), step 1 input row 1 (4 new elements).
    // Step 0: load 8 on the off-chip link 0..4, arrives 7. Input row 7..11, arrives 12; weights 11..15,
    //   arrive 16. Compute 16..20. Output 20..21 arrives in L2 at 22, streams off-chip 22..23 (one
    //   element: half a cycle), stored at 26.
    // Step 1: its load is ready when the working set before the previous one is released (none: 0)
    //   and queues behind the first on the link: 4..6, arrives 9 (latency overlaps, no wait for the
    //   first load's arrival). The input row waits for the bus: 15..19, arrives 20. Compute 20..24.
    //   Output 24..25, in L2 at 26, off-chip 26..27 (shares nothing: the link is free), stored 30.
    let layer = gemm(
        2,
        1,
        4,
        vec![
            temporal(1, Dim::M),
            temporal(1, Dim::N),
            temporal(4, Dim::K),
        ],
    );
    let mut hw = hardware(1, true, true, NocTopology::Bus);
    hw.l2_size = 9;
    hw.offchip.bandwidth = 2;
    hw.offchip.latency = 3;
    let report = run(&hw, &layer);
    assert_eq!(report.cycles, 30);
    assert_eq!(report.tensors.output.offchip_writes, 2);
    assert_eq!(report.tensors.input.offchip_reads, 8);
    assert_eq!(report.tensors.weight.offchip_reads, 4);
}

#[test]
fn partly_overlapping_windows_share_one_multicast_of_their_union() {
    // CONV K=1 C=1 R=3 S=1 Y=5 X=1 on 3 PEs, one output row each (`SpatialMap(3,1) Y`): PE p needs input
    // rows [p, p+3). The multicast contract is per element, so one transfer sends the union, rows
    // [0, 5): 5 elements read from L2 and sent, 3 + 3 + 3 = 9 delivered. (Before, only identical
    // footprints were merged and the three windows went as three transfers of 3.) Weights: one
    // multicast of 3. Timeline: off-chip load ends at 1; inputs occupy the bus [1, 6), arrive at 7;
    // weights [6, 9), arrive at 10; compute 3 MACs [10, 13); the three outputs leave on the collection
    // bus [13, 14), [14, 15), [15, 16), the last arrives at 17; write-back 1 cycle: 18.
    let layer = Layer {
        name: "windows".into(),
        layer_type: LayerType::Conv,
        dimensions: vec![
            (Dim::K, 1),
            (Dim::C, 1),
            (Dim::R, 3),
            (Dim::S, 1),
            (Dim::Y, 5),
            (Dim::X, 1),
        ],
        strides: Strides::default(),
        mapping: Some(Mapping::new(vec![
            Directive::Map(MapDirective::spatial(3, 1, Dim::Y)),
            temporal(3, Dim::R),
        ])),
    };
    let report = run(&hardware(3, true, true, NocTopology::Bus), &layer);
    assert_eq!(report.macs, 9);
    assert_eq!(report.tensors.input.noc_elements_sent, 5);
    assert_eq!(report.tensors.input.l2_reads, 5);
    assert_eq!(report.tensors.input.noc_elements_delivered, 9);
    assert_eq!(report.tensors.weight.noc_elements_sent, 3);
    assert_eq!(report.cycles, 18);
    // Without multicast every PE gets its own copy.
    let report = run(&hardware(3, false, true, NocTopology::Bus), &layer);
    assert_eq!(report.tensors.input.noc_elements_sent, 9);
    assert_eq!(report.tensors.input.noc_elements_delivered, 9);
}
