//! Timelines computed by hand from the DDR4-3200 preset's parameters (CL = tRCD = tRP = 22, tRAS = 52,
//! BL/2 = 4, tRRD_S = 4, tRRD_L = 8, tCCD_S = 4, tCCD_L = 8, tFAW = 34, tRFC = 560, tREFI / 2 ranks =
//! 6240). A request arriving at cycle `a` is accepted at `a + 1` and reaches its bank's command queue
//! at the end of that cycle, so its first command may issue at `a + 2`. A read finishes CL + BL/2 = 26
//! cycles after its READ command.

use maestro_dram::{
    preset, Completion, DramConfig, MappingField, MemorySystem, Request, RequestKind,
};

fn ddr4() -> DramConfig {
    preset("ddr4_3200").unwrap()
}

/// The byte address of (bank group, bank, row, column block) in rank 0.
fn address(system: &MemorySystem, bankgroup: u64, bank: u64, row: u64, column: u64) -> u64 {
    let m = system.mapping();
    (bankgroup << m.field_shift(MappingField::BankGroup))
        | (bank << m.field_shift(MappingField::Bank))
        | (row << m.field_shift(MappingField::Row))
        | (column << m.field_shift(MappingField::Column))
}

fn read(address: u64, arrival: u64, tag: u64) -> Request {
    Request {
        address,
        kind: RequestKind::Read,
        arrival,
        tag,
    }
}

/// Runs until `cycle` and returns the finish cycle of each tag.
fn finishes(system: &mut MemorySystem, cycle: u64) -> Vec<(u64, u64)> {
    system.advance_to(cycle);
    let mut done: Vec<(u64, u64)> = system
        .take_completions()
        .iter()
        .map(|c: &Completion| (c.tag, c.finished))
        .collect();
    done.sort_unstable();
    done
}

#[test]
fn row_miss_costs_trcd_plus_cl_plus_burst() {
    let mut system = MemorySystem::new(&ddr4()).unwrap();
    system.submit(read(address(&system, 0, 0, 5, 0), 0, 1));
    // ACT at 2, READ at 2 + tRCD = 24, data done at 24 + 26 = 50.
    assert_eq!(finishes(&mut system, 200), vec![(1, 50)]);
    let report = system.report();
    assert_eq!(
        (
            report.num_act_cmds,
            report.num_read_row_hits,
            report.num_row_misses
        ),
        (1, 0, 1)
    );
    assert!((report.average_read_latency - 49.0).abs() < 1e-9);
}

#[test]
fn row_hit_costs_cl_plus_burst() {
    let mut system = MemorySystem::new(&ddr4()).unwrap();
    system.submit(read(address(&system, 0, 0, 5, 0), 0, 1));
    system.submit(read(address(&system, 0, 0, 5, 1), 100, 2));
    // The second READ issues at 102 on the open row: done at 102 + 26 = 128.
    assert_eq!(finishes(&mut system, 300), vec![(1, 50), (2, 128)]);
    let report = system.report();
    assert_eq!((report.num_act_cmds, report.num_read_row_hits), (1, 1));
    assert!((report.row_hit_rate - 0.5).abs() < 1e-12);
}

#[test]
fn row_conflict_adds_a_precharge() {
    let mut system = MemorySystem::new(&ddr4()).unwrap();
    system.submit(read(address(&system, 0, 0, 5, 0), 0, 1));
    system.submit(read(address(&system, 0, 0, 6, 0), 100, 2));
    // PRE at 102 (tRAS from the ACT at 2 ended at 54), ACT at 102 + tRP = 124, READ at 124 + tRCD =
    // 146, done at 146 + 26 = 172.
    assert_eq!(finishes(&mut system, 300), vec![(1, 50), (2, 172)]);
    let report = system.report();
    assert_eq!(
        (
            report.num_act_cmds,
            report.num_pre_cmds,
            report.num_row_misses,
            report.num_row_conflicts
        ),
        (2, 1, 1, 1)
    );
}

/// Five reads to five banks offered at cycle 0: the banks in different groups open tRRD_S = 4 apart
/// (ACTs at 2, 6, 10, 14); the fifth, in the first one's group, could open at 18 but the fifth
/// activate must wait for the four-activate window opened at 2 to close at 2 + tFAW.
fn five_activates(tfaw: u32) -> Vec<(u64, u64)> {
    let mut config = ddr4();
    config.timing.tfaw = tfaw;
    let mut system = MemorySystem::new(&config).unwrap();
    for (tag, (bankgroup, bank)) in [(0, 0), (1, 0), (2, 0), (3, 0), (0, 1)]
        .into_iter()
        .enumerate()
    {
        system.submit(read(address(&system, bankgroup, bank, 7, 0), 0, tag as u64));
    }
    finishes(&mut system, 400)
}

#[test]
fn tfaw_limits_the_fifth_activate() {
    // tFAW = 40: fifth ACT at 2 + 40 = 42, READ at 64, done at 90. The others: ACT + 22 + 26.
    assert_eq!(
        five_activates(40),
        vec![(0, 50), (1, 54), (2, 58), (3, 62), (4, 90)]
    );
    // tFAW = 16 (below 4 x tRRD_S): the fifth ACT goes at 14 + tRRD_S = 18, READ at 40, done at 66.
    assert_eq!(
        five_activates(16),
        vec![(0, 50), (1, 54), (2, 58), (3, 62), (4, 66)]
    );
}

#[test]
fn refresh_in_the_middle_of_an_access_delays_it_by_trfc() {
    let mut system = MemorySystem::new(&ddr4()).unwrap();
    system.submit(read(address(&system, 0, 0, 5, 0), 6230, 1));
    // Accepted at 6231, ACT at 6232; rank 0's refresh falls due at 6240 and holds its queues, so the
    // READ (ready at 6254) waits. The open bank is precharged when tRAS allows, at 6232 + 52 = 6284;
    // REF at 6284 + tRP = 6306; ACT again at 6306 + tRFC = 6866; READ at 6888; done at 6914.
    assert_eq!(finishes(&mut system, 7200), vec![(1, 6914)]);
    let report = system.report();
    assert_eq!(
        (
            report.num_ref_cmds,
            report.num_act_cmds,
            report.num_pre_cmds
        ),
        (1, 2, 1)
    );
}

/// Two reads offered at 1000 to rows opened earlier: the second READ follows the first (at 1002) by
/// tCCD_L = 8 in the same bank group, by tCCD_S = 4 in another.
fn second_read_finish(second_bankgroup: u64, second_bank: u64) -> u64 {
    let mut system = MemorySystem::new(&ddr4()).unwrap();
    system.submit(read(address(&system, 0, 0, 5, 0), 0, 1));
    system.submit(read(
        address(&system, second_bankgroup, second_bank, 5, 0),
        0,
        2,
    ));
    system.submit(read(address(&system, 0, 0, 5, 1), 1000, 3));
    system.submit(read(
        address(&system, second_bankgroup, second_bank, 5, 1),
        1000,
        4,
    ));
    let done = finishes(&mut system, 2000);
    assert_eq!(done[2], (3, 1002 + 26));
    done[3].1
}

#[test]
fn same_bank_group_reads_are_tccd_l_apart_other_groups_tccd_s() {
    assert_eq!(second_read_finish(0, 1), 1002 + 8 + 26);
    assert_eq!(second_read_finish(1, 0), 1002 + 4 + 26);
}

#[test]
fn reads_and_writes_are_conserved() {
    // Every request submitted completes exactly once, on a mixed stream run to the end.
    let mut system = MemorySystem::new(&preset("hbm2_stack").unwrap()).unwrap();
    let mut state = 7u64;
    for tag in 0..3000u64 {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let kind = if state >> 62 == 0 {
            RequestKind::Write
        } else {
            RequestKind::Read
        };
        system.submit(Request {
            address: (state >> 20) & !63,
            kind,
            arrival: tag / 2,
            tag,
        });
    }
    let mut tags = Vec::new();
    while !system.is_idle() {
        let next = system.now() + 1000;
        system.advance_to(next);
        tags.extend(system.take_completions().iter().map(|c| c.tag));
    }
    tags.sort_unstable();
    assert_eq!(tags, (0..3000).collect::<Vec<_>>());
    let report = system.report();
    assert_eq!(report.num_reads_done + report.num_writes_done, 3000);
}

#[test]
fn a_long_idle_stretch_refreshes_without_stepping_every_interval() {
    use maestro_dram::{run_trace, TraceRecord, TraceRunOptions};
    let mut system = MemorySystem::new(&ddr4()).unwrap();
    let a = address(&system, 0, 0, 5, 0);
    let records = [(0, 1), (1_000_000_000, 2)].map(|(cycle, line)| {
        Ok(TraceRecord {
            address: a,
            kind: RequestKind::Read,
            cycle,
            line,
        })
    });
    run_trace(&mut system, records, TraceRunOptions::default()).unwrap();
    let report = system.report();
    // The second read finds its rank idle and refreshed long ago: a row miss, 50 cycles after its
    // arrival; a refresh falls due every 6240 cycles before that (the first one closes the row).
    assert_eq!(report.num_cycles, 1_000_000_051);
    assert_eq!(report.num_ref_cmds, 1_000_000_050 / 6240);
    assert_eq!((report.num_act_cmds, report.num_pre_cmds), (2, 1));
    assert!(
        system.stepped_cycles() < 1000,
        "{}",
        system.stepped_cycles()
    );
}

#[test]
fn every_request_completes_on_every_preset_whatever_the_arrival_pattern() {
    use maestro_dram::{run_trace, TraceRecord, TraceRunOptions, PRESET_NAMES};
    for name in PRESET_NAMES {
        for (pattern, gap) in [
            ("back to back", 0u64),
            ("sparse", 37),
            ("bursts far apart", 0),
        ] {
            let mut system = MemorySystem::new(&preset(name).unwrap()).unwrap();
            let span = 1u64 << system.mapping().address_bits();
            let mut state = 99u64;
            let records: Vec<_> = (0..1500u64)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let cycle = match pattern {
                        "bursts far apart" => (i / 100) * 3_000_000,
                        _ => i * gap,
                    };
                    Ok(TraceRecord {
                        address: ((state >> 7) % span) & !63,
                        kind: if state >> 62 == 0 {
                            RequestKind::Write
                        } else {
                            RequestKind::Read
                        },
                        cycle,
                        line: i + 1,
                    })
                })
                .collect();
            run_trace(&mut system, records, TraceRunOptions::default()).unwrap();
            let report = system.report();
            assert_eq!(
                report.num_reads_done + report.num_writes_done,
                1500,
                "{name}, {pattern}"
            );
            assert!(system.is_idle(), "{name}, {pattern}");
        }
    }
}

#[test]
fn closed_page_precharges_with_every_access() {
    let mut config = ddr4();
    config.system.page_policy = maestro_dram::PagePolicy::Closed;
    let mut system = MemorySystem::new(&config).unwrap();
    system.submit(read(address(&system, 0, 0, 5, 0), 0, 1));
    system.submit(read(address(&system, 0, 0, 5, 1), 100, 2));
    // ACT at 2, READ with auto-precharge at 24 (done at 50). The same row again at 102: closed, so
    // ACT once tRC (2 + 74 = 76) and the read-precharge-to-activate gap (24 + BL/2 + tRTP + tRP = 62)
    // have passed, at 102; READ at 124, done at 150. No row hits.
    assert_eq!(finishes(&mut system, 300), vec![(1, 50), (2, 150)]);
    let report = system.report();
    assert_eq!(
        (
            report.num_act_cmds,
            report.num_pre_cmds,
            report.num_read_row_hits
        ),
        (2, 0, 0)
    );
}

#[test]
fn energy_per_command_follows_the_idd_formulas() {
    let energy = maestro_dram::EnergyPerCommand::new(&ddr4());
    // VDD x tCK x devices = 1.2 V x 0.63 ns x 8 = 6.048.
    let scale = 1.2 * 0.63 * 8.0;
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
    assert!(close(
        energy.activate_pj,
        scale * (57.0 * 74.0 - (52.0 * 52.0 + 37.0 * 22.0))
    ));
    assert!(close(energy.read_pj, scale * (168.0 - 52.0) * 4.0));
    assert!(close(energy.write_pj, scale * (150.0 - 52.0) * 4.0));
    assert!(close(energy.refresh_pj, scale * (250.0 - 52.0) * 560.0));
    assert!(close(energy.activate_pj, 4233.6));
}

#[test]
fn an_arrival_at_the_end_of_time_refreshes_in_closed_form() {
    use maestro_dram::{run_trace, TraceRecord, TraceRunOptions, MAX_ARRIVAL};
    for name in ["ddr4_3200", "hbm2_stack"] {
        let mut system = MemorySystem::new(&preset(name).unwrap()).unwrap();
        let records = [(0, 1), (MAX_ARRIVAL, 2)].map(|(cycle, line)| {
            Ok(TraceRecord {
                address: 0,
                kind: RequestKind::Read,
                cycle,
                line,
            })
        });
        run_trace(&mut system, records, TraceRunOptions::default()).unwrap();
        let report = system.report();
        assert_eq!(report.num_reads_done, 2, "{name}");
        // Every refresh due before the end, on every channel (2^60 / interval per channel).
        let interval: u64 = if name == "ddr4_3200" { 6240 } else { 3900 };
        let due = (report.num_cycles - 1) / interval * u64::from(report.channels);
        assert_eq!(report.num_ref_cmds, due, "{name}");
        assert!(
            system.stepped_cycles() < 1000,
            "{name}: {}",
            system.stepped_cycles()
        );
    }
}
