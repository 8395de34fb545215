//! The mapping checker of `common` must be able to fail: hand-written mappings that break each rule.

mod common;

use maestro_ir::{
    ClusterDirective, ClusterKind, Dim, Directive, Layer, LayerType, MapDirective, Mapping, Strides,
};

fn conv(stride: u64) -> Layer {
    use Dim::*;
    Layer {
        name: "L".into(),
        layer_type: LayerType::Conv,
        dimensions: vec![(K, 4), (C, 3), (R, 3), (S, 3), (Y, 9), (X, 9)],
        strides: Strides {
            y: stride,
            x: stride,
        },
        mapping: None,
    }
}

fn t(size: u64, offset: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::temporal(size, offset, dim))
}

fn s(size: u64, offset: u64, dim: Dim) -> Directive {
    Directive::Map(MapDirective::spatial(size, offset, dim))
}

fn cluster(size: u64) -> Directive {
    Directive::Cluster(ClusterDirective {
        size,
        kind: ClusterKind::Physical,
    })
}

/// A correct single-level weight-stationary mapping of `conv(stride)`.
fn good(stride: u64) -> Vec<Directive> {
    use Dim::*;
    vec![
        t(1, 1, K),
        t(1, 1, C),
        t(3, stride, Y),
        s(3, stride, X),
        t(3, 3, R),
        t(3, 3, S),
    ]
}

fn verdict(stride: u64, directives: Vec<Directive>) -> Result<(), String> {
    common::check(&conv(stride), &Mapping::new(directives), 16)
}

#[test]
fn the_reference_shape_passes() {
    assert_eq!(verdict(1, good(1)), Ok(()));
    assert_eq!(verdict(2, good(2)), Ok(()));
}

#[test]
fn each_broken_rule_is_reported() {
    use Dim::*;
    let replace = |index: usize, directive: Directive| {
        let mut directives = good(1);
        directives[index] = directive;
        directives
    };
    let cases: Vec<(&str, Vec<Directive>)> = vec![
        ("gap between K tiles", replace(0, t(1, 2, K))),
        ("overlapping C tiles", replace(1, t(2, 1, C))),
        ("no spatial map", replace(3, t(3, 1, X))),
        (
            "three spatial maps",
            vec![
                s(1, 1, K),
                s(1, 1, C),
                t(3, 1, Y),
                s(3, 1, X),
                t(3, 3, R),
                t(3, 3, S),
            ],
        ),
        (
            "two spatial maps that are no window pair",
            replace(0, s(1, 1, K)),
        ),
        ("duplicate directive", replace(0, t(1, 1, C))),
        ("undeclared batch", replace(0, t(1, 1, N))),
        ("GEMM dimension", replace(0, t(1, 1, M))),
        ("partial temporal R", replace(4, t(1, 1, R))),
        (
            "column tile narrower than the filter",
            replace(3, s(2, 1, X)),
        ),
        ("oversized tile", replace(1, t(4, 4, C))),
        ("zero offset", replace(0, t(1, 0, K))),
        (
            "Y' of two rows",
            vec![
                t(1, 1, K),
                t(1, 1, C),
                s(2, 1, OutY),
                t(3, 1, X),
                t(3, 3, R),
                t(3, 3, S),
            ],
        ),
        (
            "Y' without R",
            vec![
                t(1, 1, K),
                t(1, 1, C),
                s(1, 1, OutY),
                t(3, 1, X),
                t(3, 3, S),
            ],
        ),
        (
            "clusters beyond the PEs",
            [good(1), vec![cluster(17), s(1, 1, K)]].concat(),
        ),
        (
            "cluster wider than its spread",
            [good(1), vec![cluster(3), s(1, 1, K)]].concat(),
        ),
        (
            "filter rows out of step with input rows",
            vec![
                s(1, 1, OutY),
                t(1, 1, OutX),
                t(3, 3, R),
                t(3, 3, S),
                cluster(3),
                s(1, 1, Y),
                s(1, 2, R),
                t(3, 3, S),
            ],
        ),
        (
            "stride ignored by the row offset",
            vec![
                t(1, 1, K),
                t(1, 1, C),
                t(3, 1, Y),
                s(3, 2, X),
                t(3, 3, R),
                t(3, 3, S),
            ],
        ),
    ];
    for (what, directives) in cases {
        let stride = if what.starts_with("stride") { 2 } else { 1 };
        assert!(
            verdict(stride, directives).is_err(),
            "the checker accepted: {what}"
        );
    }
}

#[test]
fn the_row_stationary_pair_passes() {
    use Dim::*;
    let directives = vec![
        s(1, 1, OutY),
        t(1, 1, OutX),
        t(1, 1, C),
        t(2, 2, K),
        t(3, 3, R),
        t(3, 3, S),
        cluster(3),
        s(1, 1, Y),
        s(1, 1, R),
        t(3, 3, S),
    ];
    assert_eq!(verdict(1, directives.clone()), Ok(()));
    assert_eq!(verdict(2, directives), Ok(()));
}
