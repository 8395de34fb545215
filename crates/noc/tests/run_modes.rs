//! BookSim's run modes: latency mode says when the network is saturated, throughput mode reports
//! the accepted rate there, and the same seed gives the same result.

use maestro_noc::{run, NocConfig, RunSettings, SimType, TrafficPattern};

fn mesh4() -> NocConfig {
    NocConfig {
        k: 4,
        num_vcs: 2,
        vc_buf_size: 4,
        ..NocConfig::default()
    }
}

#[test]
fn latency_mode_flags_saturation_and_throughput_mode_measures_it() {
    let over = RunSettings {
        injection_rate: 0.9,
        ..RunSettings::default()
    };
    let result = run(&mesh4(), &over).expect("runs");
    assert!(
        !result.stable,
        "0.9 flits/node/cycle is beyond saturation (about 0.53)"
    );
    let throughput = run(
        &mesh4(),
        &RunSettings {
            sim_type: SimType::Throughput,
            ..over
        },
    )
    .expect("runs");
    assert!(
        (0.45..0.6).contains(&throughput.accepted_flit_rate),
        "{}",
        throughput.accepted_flit_rate
    );
}

#[test]
fn below_saturation_is_stable_and_repeatable() {
    let settings = RunSettings {
        injection_rate: 0.2,
        traffic: TrafficPattern::Transpose,
        seed: 9,
        ..RunSettings::default()
    };
    let first = run(&mesh4(), &settings).expect("runs");
    assert!(first.stable);
    assert!((first.accepted_flit_rate - 0.2).abs() < 0.02);
    assert_eq!(first, run(&mesh4(), &settings).expect("runs"));
}
