//! End-to-end properties of the study crate on a small network: sweeps give the same results with
//! one and two threads and agree with the cost model's own network analysis; the DSE's pruning keeps
//! exactly the points within the caps; the contention study reads a bandwidth sweep; a simulated
//! front equals a direct simulation of each front point.

use maestro_cost::corrected::area_power;
use maestro_ir::{Accelerator, Network};
use maestro_sim::SimOptions;
use maestro_study::{
    contention_study, run_dse, run_sweep, simulate_front, Dataflow, Dse, DseAxes, Engine,
    Objective, ParamSpec, Sweep, SweepOptions, SweepSpace, Workload,
};
use maestro_templates::DataflowStyle;

fn small_model() -> Network {
    let text = include_str!("data/small_model.m");
    maestro_dsl::parse_network("small_model.m", text.as_bytes())
        .unwrap_or_else(|_| panic!("the test model parses"))
        .network
}

fn spec(text: &str) -> ParamSpec {
    ParamSpec::parse(text).unwrap_or_else(|error| panic!("{error}"))
}

fn templates() -> Vec<Dataflow> {
    vec![
        Dataflow::Template(DataflowStyle::KcpWs),
        Dataflow::Template(DataflowStyle::YxpOs),
    ]
}

fn sweep(specs: &[&str]) -> Sweep {
    let space = SweepSpace::new(specs.iter().map(|text| spec(text)).collect())
        .unwrap_or_else(|error| panic!("{error}"));
    let workload =
        Workload::new(small_model(), templates()).unwrap_or_else(|error| panic!("{error}"));
    Sweep::new(Accelerator::default(), space, workload).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn analytical_sweeps_are_identical_with_one_and_two_threads_and_match_analyze_network() {
    let sweep = sweep(&[
        "pe.count=16,64",
        "noc.bandwidth=1..64 x 2",
        "noc.multicast=true,false",
        "l1.size=64,512",
    ]);
    let run = |threads: usize| {
        let options = SweepOptions {
            engine: Engine::Analytical,
            threads,
            ..SweepOptions::default()
        };
        run_sweep(&sweep, &options, &|_| {})
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(one, two);
    assert_eq!(one.points.len(), 2 * 2 * 7 * 2 * 2);
    // Every point agrees with a fresh analysis of the network mapped for that point's hardware.
    for point in one.points.iter().step_by(7) {
        let accelerator = sweep.space.accelerator(&sweep.base, &point.values);
        let style = DataflowStyle::from_name(point.dataflow).unwrap_or(DataflowStyle::KcpWs);
        let mapped = maestro_templates::apply(style, &sweep.workload.network, &accelerator)
            .unwrap_or_else(|error| panic!("{error}"));
        let cost = maestro_cost::analyze_network(&mapped, &accelerator, &Default::default())
            .unwrap_or_else(|error| panic!("{error}"));
        for (outcome, layer) in point.layers.iter().zip(&cost.layers) {
            let numbers = outcome.analytical.unwrap_or_else(|| panic!("{outcome:?}"));
            assert_eq!(numbers.runtime as i64, layer.row.runtime_cycles);
            assert!((numbers.energy - layer.row.energy_nj).abs() <= 1e-9 * numbers.energy.abs());
        }
        let hardware = area_power(&accelerator);
        assert_eq!(point.area, hardware.area);
    }
}

#[test]
fn simulated_sweeps_are_identical_with_one_and_two_threads_and_feed_the_contention_study() {
    let sweep = sweep(&["noc.topology=bus,tree", "noc.bandwidth=1,4,16,64"]);
    let run = |threads: usize| {
        let options = SweepOptions {
            engine: Engine::Both,
            threads,
            ..SweepOptions::default()
        };
        run_sweep(&sweep, &options, &|_| {})
    };
    let one = run(1);
    assert_eq!(one, run(2));
    let study = contention_study(&one).unwrap_or_else(|error| panic!("{error}"));
    // Two dataflows × two topologies × two layers.
    assert_eq!(study.series.len(), 8);
    for series in &study.series {
        let bandwidths: Vec<u64> = series.points.iter().map(|point| point.bandwidth).collect();
        assert_eq!(bandwidths, [1, 4, 16, 64]);
        assert!(series.simulated_knee.is_some(), "{series:?}");
        assert!(!series.findings.is_empty());
    }
}

#[test]
fn the_dse_prunes_exactly_the_points_beyond_the_caps() {
    let axes = DseAxes {
        pes: vec![16, 32, 64, 128],
        l1: vec![64, 256, 1024],
        l2: vec![16384, 65536],
        bandwidth: vec![4, 16, 64],
    };
    let (area_cap, power_cap) = (10.0, 150.0);
    let dse = Dse {
        base: Accelerator::default(),
        axes: axes.clone(),
        workload: Workload::new(small_model(), templates())
            .unwrap_or_else(|error| panic!("{error}")),
        area_cap_mm2: Some(area_cap),
        power_cap_mw: Some(power_cap),
        objective: Objective::Edp,
    };
    let result = run_dse(&dse, 2, &|_| {}).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        result,
        run_dse(&dse, 1, &|_| {}).unwrap_or_else(|e| panic!("{e}"))
    );
    let mut within = 0u64;
    for &pes in &axes.pes {
        for &l1 in &axes.l1 {
            for &l2 in &axes.l2 {
                for &bandwidth in &axes.bandwidth {
                    let mut accelerator = Accelerator {
                        num_pes: pes,
                        l1_size: l1,
                        l2_size: l2,
                        ..Accelerator::default()
                    };
                    accelerator.distribution_noc.bandwidth = bandwidth;
                    accelerator.collection_noc.bandwidth = bandwidth;
                    let cost = area_power(&accelerator);
                    if cost.area / 1e6 <= area_cap && cost.power <= power_cap {
                        within += 1;
                    }
                }
            }
        }
    }
    let dataflows = 2;
    assert!(result.pruned > 0, "the caps must cut the space: {result:?}");
    assert_eq!(result.space, 4 * 3 * 2 * 3 * dataflows);
    assert_eq!(result.pruned, result.space - within * dataflows);
    assert_eq!(
        result.points.len() as u64 + result.invalid,
        within * dataflows
    );
    for point in &result.points {
        assert!(point.area_mm2 <= area_cap && point.power_mw <= power_cap);
    }
    // The front is undominated in (EDP, area) and holds the best point.
    let best = result.best.unwrap_or_else(|| {
        panic!(
            "some point is valid: {:?} {} {}",
            result.invalid_reasons, result.invalid, result.pruned
        )
    });
    assert!(result.pareto.contains(&best));
    for &index in &result.pareto {
        let point = &result.points[index];
        assert!(!result.points.iter().any(|other| other.edp <= point.edp
            && other.area_mm2 <= point.area_mm2
            && (other.edp < point.edp || other.area_mm2 < point.area_mm2)));
    }
}

#[test]
fn the_simulated_front_matches_a_direct_simulation_of_each_point() {
    let dse = Dse {
        base: Accelerator::default(),
        axes: DseAxes {
            pes: vec![16, 64],
            l1: vec![256],
            l2: vec![65536],
            bandwidth: vec![4, 64],
        },
        workload: Workload::new(small_model(), templates())
            .unwrap_or_else(|error| panic!("{error}")),
        area_cap_mm2: None,
        power_cap_mw: None,
        objective: Objective::Runtime,
    };
    let explored = run_dse(&dse, 2, &|_| {}).unwrap_or_else(|error| panic!("{error}"));
    assert!(explored.simulated_front.is_empty());
    let simulate = |threads: usize| {
        let mut result = explored.clone();
        let layers_done = std::sync::atomic::AtomicU64::new(0);
        simulate_front(&dse, &mut result, &SimOptions::default(), threads, &|n| {
            layers_done.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        });
        let layers = (result.pareto.len() * dse.workload.network.layers.len()) as u64;
        assert_eq!(layers_done.into_inner(), layers);
        result
    };
    let result = simulate(2);
    assert_eq!(result, simulate(1), "the thread count changes nothing");
    assert_eq!(result.simulated_front.len(), result.pareto.len());
    for (simulation, &index) in result.simulated_front.iter().zip(&result.pareto) {
        assert_eq!(simulation.point, index);
        let point = &result.points[index];
        // The same point, mapped and simulated layer by layer here.
        let mut accelerator = Accelerator {
            num_pes: point.pes,
            l1_size: point.l1,
            l2_size: point.l2,
            ..Accelerator::default()
        };
        accelerator.distribution_noc.bandwidth = point.bandwidth;
        accelerator.collection_noc.bandwidth = point.bandwidth;
        let dataflow = dse.workload.dataflows[point.dataflow_index];
        assert_eq!(dataflow.label(), point.dataflow);
        let mapped = dataflow
            .map(&dse.workload.network, &accelerator)
            .unwrap_or_else(|error| panic!("{error}"));
        let report = maestro_sim::simulate_network(&mapped, &accelerator, &SimOptions::default())
            .unwrap_or_else(|error| panic!("{error}"));
        let cycles: u64 = report.layers.iter().map(|layer| layer.cycles).sum();
        assert_eq!(simulation.runtime, Some(cycles), "{simulation:?}");
        let error = (point.runtime as f64 - cycles as f64) / cycles as f64 * 100.0;
        assert_eq!(simulation.runtime_error_pct, Some(error));
        assert!(simulation.energy.is_some_and(|energy| energy > 0.0));
        assert!(simulation.failure.is_none());
    }
}

#[test]
fn a_streamed_sweep_hands_points_over_in_order_before_the_sweep_ends() {
    // 2 dataflows × 8192 L2 sizes: two blocks, so points must arrive while work remains.
    let sweep = sweep(&["l2.size=100000..108191"]);
    let options = SweepOptions {
        engine: Engine::Analytical,
        threads: 2,
        ..SweepOptions::default()
    };
    let evaluated = std::sync::atomic::AtomicU64::new(0);
    let mut streamed = maestro_study::sweep_frame(&sweep, &options);
    let mut evaluated_at_first_point = None;
    maestro_study::for_each_sweep_point(
        &sweep,
        &options,
        &|n| {
            evaluated.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        },
        &mut |_, point| {
            evaluated_at_first_point
                .get_or_insert(evaluated.load(std::sync::atomic::Ordering::Relaxed));
            streamed.points.push(point);
            std::ops::ControlFlow::Continue(())
        },
    );
    assert!(evaluated_at_first_point.is_some_and(|n| n < sweep.evaluations()));
    assert_eq!(streamed, run_sweep(&sweep, &options, &|_| {}));
    let one_thread = SweepOptions {
        threads: 1,
        ..options
    };
    assert_eq!(streamed, run_sweep(&sweep, &one_thread, &|_| {}));
}

#[test]
fn shards_partition_the_points_and_done_points_are_skipped() {
    let sweep = sweep(&["l2.size=100000..100040"]);
    let whole = run_sweep(&sweep, &SweepOptions::default(), &|_| {});
    for count in [1, 2, 3, 7, 100] {
        let mut gathered: Vec<(usize, maestro_study::PointResult)> = Vec::new();
        for index in 0..count {
            let options = SweepOptions {
                shard: maestro_study::Shard::new(index, count).unwrap(),
                threads: 2,
                ..SweepOptions::default()
            };
            let mut seen = 0;
            maestro_study::for_each_sweep_point(&sweep, &options, &|_| {}, &mut |point, result| {
                assert_eq!(point % count, index);
                gathered.push((point, result));
                seen += 1;
                std::ops::ControlFlow::Continue(())
            });
            assert_eq!(seen, options.shard.len(sweep.points()));
        }
        gathered.sort_by_key(|(point, _)| *point);
        let points: Vec<_> = gathered.into_iter().map(|(_, result)| result).collect();
        assert_eq!(points, whole.points, "{count} shards");
    }
    // Points already done are not evaluated again.
    let options = SweepOptions {
        shard: maestro_study::Shard::new(1, 3).unwrap(),
        done: [1, 7, 40].into_iter().collect(),
        ..SweepOptions::default()
    };
    let selected = options.selected_points(&sweep);
    assert!(selected
        .iter()
        .all(|p| p % 3 == 1 && ![1, 7, 40].contains(p)));
    assert_eq!(selected.len(), options.shard.len(sweep.points()) - 3);
    assert!(maestro_study::Shard::new(3, 3).is_none());
}
