//! Synthetic traffic patterns (BookSim2's definitions) and Bernoulli injection.

use crate::error::NocError;
use crate::rng::Rng;
use serde::Serialize;

/// A destination rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrafficPattern {
    /// Every node, the source included, equally likely.
    Uniform,
    /// Swap the high and low halves of the node number's bits (nodes a power of 4).
    Transpose,
    /// Complement every bit of the node number (nodes a power of 2).
    Bitcomp,
    /// Reverse the node number's bits (nodes a power of 2).
    Bitrev,
    /// Rotate the node number's bits left by one (nodes a power of 2).
    Shuffle,
    /// Each coordinate moves ⌈k/2⌉ − 1 ahead, modulo k.
    Tornado,
    /// Each coordinate moves one ahead, modulo k.
    Neighbor,
    /// Every packet goes to one of these nodes, equally likely.
    Hotspot(Vec<usize>),
}

impl TrafficPattern {
    /// The names accepted by [`TrafficPattern::parse`].
    pub const NAMES: [&'static str; 8] = [
        "uniform",
        "transpose",
        "bitcomp",
        "bitrev",
        "shuffle",
        "tornado",
        "neighbor",
        "hotspot",
    ];

    /// Reads `uniform`, `transpose`, …, or `hotspot({n1,n2,...})` / `hotspot` with separate nodes.
    pub fn parse(text: &str, hotspots: &[usize]) -> Result<Self, NocError> {
        let text = text.trim();
        let bad = |message: String| NocError::Parameter {
            key: "traffic",
            message,
        };
        if let Some(rest) = text.strip_prefix("hotspot") {
            let mut nodes = hotspots.to_vec();
            let rest = rest.trim();
            if !rest.is_empty() {
                // hotspot({n1,n2}) or BookSim's file form hotspot({{n1,n2},{rates}}).
                let inner = rest
                    .strip_prefix('(')
                    .and_then(|r| r.strip_suffix(')'))
                    .ok_or_else(|| bad(format!("expected hotspot({{n1,n2,...}}), found `{text}`")))?
                    .trim();
                let inner = inner
                    .strip_prefix('{')
                    .and_then(|r| r.strip_suffix('}'))
                    .unwrap_or(inner);
                let (node_text, rate_text) = if let Some(grouped) = inner.strip_prefix('{') {
                    match grouped.split_once('}') {
                        Some((first, rest)) => (first, rest.trim_start_matches(',').trim()),
                        None => return Err(bad(format!("unbalanced braces in `{text}`"))),
                    }
                } else {
                    (inner, "")
                };
                for item in node_text.split(',') {
                    let node = item.trim().parse::<usize>().map_err(|_| {
                        bad(format!(
                            "hotspot node `{}` is not a node number",
                            item.trim()
                        ))
                    })?;
                    nodes.push(node);
                }
                let rates: Vec<&str> = rate_text
                    .trim_matches(|c| c == '{' || c == '}')
                    .split(',')
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .collect();
                if rates.windows(2).any(|pair| pair[0] != pair[1]) {
                    return Err(bad("unequal hotspot rates are not modelled".into()));
                }
            }
            if nodes.is_empty() {
                return Err(bad("hotspot traffic needs at least one hotspot node".into()));
            }
            return Ok(TrafficPattern::Hotspot(nodes));
        }
        Ok(match text {
            "uniform" => TrafficPattern::Uniform,
            "transpose" => TrafficPattern::Transpose,
            "bitcomp" => TrafficPattern::Bitcomp,
            "bitrev" => TrafficPattern::Bitrev,
            "shuffle" => TrafficPattern::Shuffle,
            "tornado" => TrafficPattern::Tornado,
            "neighbor" => TrafficPattern::Neighbor,
            other => {
                return Err(bad(format!(
                    "unknown traffic `{other}`; expected one of {}",
                    Self::NAMES.join(", ")
                )))
            }
        })
    }

    /// Checks the pattern against a network of `k`×`k` routers with `concentration` nodes each.
    pub fn check(&self, k: usize, concentration: usize) -> Result<(), NocError> {
        let nodes = k * k * concentration;
        let bad = |message: String| NocError::Parameter {
            key: "traffic",
            message,
        };
        match self {
            TrafficPattern::Transpose
            | TrafficPattern::Bitcomp
            | TrafficPattern::Bitrev
            | TrafficPattern::Shuffle
                if !nodes.is_power_of_two() =>
            {
                Err(bad(format!(
                    "this pattern needs a power-of-two node count, found {nodes}"
                )))
            }
            TrafficPattern::Transpose if nodes.trailing_zeros() % 2 != 0 => Err(bad(format!(
                "transpose needs an even power of two nodes, found {nodes}"
            ))),
            TrafficPattern::Hotspot(list) => match list.iter().find(|&&node| node >= nodes) {
                Some(node) => Err(bad(format!(
                    "hotspot node {node} is outside the network's {nodes} nodes"
                ))),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// The destination of a packet from `source`.
    pub fn destination(
        &self,
        source: usize,
        k: usize,
        concentration: usize,
        rng: &mut Rng,
    ) -> usize {
        let nodes = k * k * concentration;
        let bits = nodes.trailing_zeros();
        let mask = nodes - 1;
        match self {
            TrafficPattern::Uniform => rng.below(nodes as u32) as usize,
            TrafficPattern::Transpose => {
                let half = bits / 2;
                let low = (1 << half) - 1;
                ((source >> half) & low) | ((source << half) & (low << half))
            }
            TrafficPattern::Bitcomp => !source & mask,
            TrafficPattern::Bitrev => {
                let mut result = 0;
                let mut value = source;
                for _ in 0..bits {
                    result = (result << 1) | (value & 1);
                    value >>= 1;
                }
                result
            }
            TrafficPattern::Shuffle => {
                let shifted = source << 1;
                (shifted & mask) | usize::from(shifted & nodes != 0)
            }
            TrafficPattern::Tornado | TrafficPattern::Neighbor => {
                let shift = if *self == TrafficPattern::Neighbor {
                    1
                } else {
                    k.div_ceil(2) - 1
                };
                let router = source / concentration;
                let (x, y) = (router % k, router / k);
                let (nx, ny) = ((x + shift) % k, (y + shift) % k);
                (nx + ny * k) * concentration + source % concentration
            }
            TrafficPattern::Hotspot(list) => {
                if list.len() == 1 {
                    list[0]
                } else {
                    list[rng.below(list.len() as u32) as usize]
                }
            }
        }
    }
}

/// Bernoulli packet arrivals at one node: a packet each cycle with probability `rate`, drawn as
/// geometric gaps so that idle cycles cost nothing.
#[derive(Clone, Debug)]
pub struct BernoulliArrivals {
    log_miss: f64,
    always: bool,
    never: bool,
}

impl BernoulliArrivals {
    /// Arrivals with probability `rate` (packets per cycle, 0 ≤ rate ≤ 1).
    pub fn new(rate: f64) -> Self {
        BernoulliArrivals {
            log_miss: (1.0 - rate).ln(),
            always: rate >= 1.0,
            never: rate <= 0.0,
        }
    }

    /// Cycles from one arrival (or the start, counted as cycle −1) to the next, at least 1, or
    /// `None` if there are no arrivals.
    pub fn gap(&self, rng: &mut Rng) -> Option<u64> {
        if self.never {
            return None;
        }
        if self.always {
            return Some(1);
        }
        // U in (0, 1]: the number of failures before the first success is ⌊ln U / ln(1 − p)⌋.
        let uniform = 1.0 - rng.next_f64();
        let failures = (uniform.ln() / self.log_miss).floor();
        Some(if failures >= 1e15 {
            u64::MAX / 4
        } else {
            failures as u64 + 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutations_match_booksim_definitions_on_16_nodes() {
        let mut rng = Rng::new(1);
        let dest = |pattern: &TrafficPattern, s, rng: &mut Rng| pattern.destination(s, 4, 1, rng);
        // transpose swaps the 2-bit halves: 1 = 00 01 -> 01 00 = 4.
        assert_eq!(dest(&TrafficPattern::Transpose, 1, &mut rng), 4);
        assert_eq!(dest(&TrafficPattern::Bitcomp, 1, &mut rng), 14);
        assert_eq!(dest(&TrafficPattern::Bitrev, 1, &mut rng), 8);
        assert_eq!(dest(&TrafficPattern::Shuffle, 9, &mut rng), 3);
        // tornado on k = 4 moves each coordinate by 1; neighbor by 1 as well.
        assert_eq!(dest(&TrafficPattern::Tornado, 0, &mut rng), 5);
        assert_eq!(dest(&TrafficPattern::Neighbor, 15, &mut rng), 0);
    }

    #[test]
    fn bernoulli_gaps_have_the_right_mean() {
        let arrivals = BernoulliArrivals::new(0.2);
        let mut rng = Rng::new(3);
        let total: u64 = (0..20_000)
            .map(|_| arrivals.gap(&mut rng).unwrap_or(0))
            .sum();
        let mean = total as f64 / 20_000.0;
        assert!((mean - 5.0).abs() < 0.15, "mean gap {mean}");
    }
}
