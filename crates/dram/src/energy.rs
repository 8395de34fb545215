//! Energy per command in the DRAMPower / Micron style: the current above the standby background
//! drawn while the command's work lasts, times the supply voltage, summed over the devices of a rank.

use crate::config::DramConfig;
use serde::Serialize;

/// Energy of one command of each kind, in picojoules (mA x V x ns).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EnergyPerCommand {
    /// One activate-precharge pair: VDD x (IDD0 x tRC - (IDD3N x tRAS + IDD2N x tRP)).
    pub activate_pj: f64,
    /// One read burst: VDD x (IDD4R - IDD3N) x burst cycles.
    pub read_pj: f64,
    /// One write burst: VDD x (IDD4W - IDD3N) x burst cycles.
    pub write_pj: f64,
    /// One all-bank refresh: VDD x (IDD5AB - IDD3N) x tRFC.
    pub refresh_pj: f64,
}

impl EnergyPerCommand {
    pub fn new(config: &DramConfig) -> EnergyPerCommand {
        let p = &config.power;
        let t = &config.timing;
        let s = &config.structure;
        let devices = f64::from(s.bus_width) / f64::from(s.device_width);
        let scale = p.vdd * t.tck_ns * devices;
        let burst = f64::from(s.burst_length / 2);
        EnergyPerCommand {
            activate_pj: scale
                * (p.idd0 * f64::from(t.trc)
                    - (p.idd3n * f64::from(t.tras) + p.idd2n * f64::from(t.trp))),
            read_pj: scale * (p.idd4r - p.idd3n) * burst,
            write_pj: scale * (p.idd4w - p.idd3n) * burst,
            refresh_pj: scale * (p.idd5ab - p.idd3n) * f64::from(t.trfc),
        }
    }
}
