//! Label placement: writing a label next to its point or line where it
//! leaves the plot's data visible. Drawn shapes become obstacles in pixels;
//! a single label takes the first free place of those offered
//! ([`place_label`]); several labels are laid out together by a small search
//! ([`choose_label_boxes`]) that keeps them off each other, off markers and
//! lines, and near their points, with leader lines when pushed away.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Plot;
use super::theme::{Drawn, Theme, palette, size, text_colour};

/// Where a label goes relative to its anchor point.
#[derive(Clone, Copy, Debug)]
pub enum Side {
    /// Above and to the right.
    AboveRight,
    /// Above and to the left.
    AboveLeft,
    /// Below and to the right.
    BelowRight,
    /// Below and to the left.
    BelowLeft,
    /// To the right, centred on the point.
    Right,
    /// To the left, centred on the point.
    Left,
}

/// Writes `text` next to the data point `at`, offset by a few pixels to `side`.
pub fn annotate<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    at: (f64, f64),
    side: Side,
) -> Drawn<DB> {
    annotate_with(chart, theme, text, at, side, &theme.annotation_font())
}

/// Like [`annotate`], in `style` (whose anchor is replaced).
pub fn annotate_with<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    at: (f64, f64),
    side: Side,
    style: &TextStyle,
) -> Drawn<DB> {
    let gap = theme.px(12.0);
    let (dx, h) = match side {
        Side::AboveRight | Side::BelowRight | Side::Right => (gap, HPos::Left),
        Side::AboveLeft | Side::BelowLeft | Side::Left => (-gap, HPos::Right),
    };
    let (dy, v) = match side {
        Side::AboveRight | Side::AboveLeft => (-gap, VPos::Bottom),
        Side::BelowRight | Side::BelowLeft => (gap, VPos::Top),
        Side::Right | Side::Left => (0, VPos::Center),
    };
    let style = style.pos(Pos::new(h, v));
    chart
        .plotting_area()
        .draw(&(EmptyElement::at(at) + Text::new(text.to_string(), (dx, dy), style)))
}

/// A rectangle in pixels, `y` growing downwards.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PixelRect {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

/// Something drawn that a label must not cover: at each x (increasing), the
/// span `lo..=hi` it fills. A line has `lo == hi`; a single vertex is a point
/// (or, with `lo < hi`, a vertical segment).
#[derive(Clone, Debug, PartialEq)]
pub struct Obstacle {
    /// `(x, lo, hi)` vertices in data units.
    pub vertices: Vec<(f64, f64, f64)>,
    /// What a label across it costs, as a share of the label's area:
    /// [`BEHIND_LABEL`] for a line that may show through a label's ground,
    /// [`UNDER_NO_LABEL`] for the data a chart is about.
    pub crossing_cost: f64,
}

/// [`Obstacle::crossing_cost`] of a reference line or band, which shows
/// through a label's white ground: a label across it is better than one
/// pushed far from its point (a ring further out costs 0.1), worse than a
/// free place.
pub const BEHIND_LABEL: f64 = 0.02;

/// [`Obstacle::crossing_cost`] of the curve a chart is about: a label pushed
/// up to three rings away, with a leader line, is better than one over it.
pub const UNDER_NO_LABEL: f64 = 0.3;

impl Obstacle {
    /// A line through `(xs, ys)`.
    pub fn line(xs: &[f64], ys: &[f64]) -> Obstacle {
        Obstacle::band(xs, ys, ys)
    }

    /// The region between two lines.
    pub fn band(xs: &[f64], lo: &[f64], hi: &[f64]) -> Obstacle {
        Obstacle {
            vertices: xs
                .iter()
                .zip(lo.iter().zip(hi))
                .map(|(&x, (&l, &h))| (x, l.min(h), l.max(h)))
                .collect(),
            crossing_cost: BEHIND_LABEL,
        }
    }

    /// The line of the data a chart is about, which no label may cover
    /// where the plot leaves room ([`UNDER_NO_LABEL`]).
    pub fn data_line(xs: &[f64], ys: &[f64]) -> Obstacle {
        Obstacle {
            crossing_cost: UNDER_NO_LABEL,
            ..Obstacle::line(xs, ys)
        }
    }

    /// A single point.
    pub fn point((x, y): (f64, f64)) -> Obstacle {
        Obstacle {
            vertices: vec![(x, y, y)],
            crossing_cost: BEHIND_LABEL,
        }
    }

    /// A vertical segment.
    pub fn vertical(x: f64, lo: f64, hi: f64) -> Obstacle {
        Obstacle {
            vertices: vec![(x, lo, hi)],
            crossing_cost: BEHIND_LABEL,
        }
    }
}

/// Whether a shape given in pixels as `(x, y_a, y_b)` vertices (see
/// [`Obstacle`]) enters `rect`. Between vertices the shape is linear, so each
/// segment is tested at the ends of its part within the rectangle's width.
pub fn crosses(vertices: &[(f64, f64, f64)], rect: PixelRect) -> bool {
    let spans = |lo: f64, hi: f64| hi >= rect.y0 && lo <= rect.y1;
    if let [(x, a, b)] = vertices {
        return (rect.x0..=rect.x1).contains(x) && spans(a.min(*b), a.max(*b));
    }
    vertices.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        let (left, right) = (a.0.min(b.0), a.0.max(b.0));
        if right < rect.x0 || left > rect.x1 {
            return false;
        }
        let at = |x: f64| {
            let t = if (b.0 - a.0).abs() < 1e-9 {
                0.0
            } else {
                ((x - a.0) / (b.0 - a.0)).clamp(0.0, 1.0)
            };
            (a.1 + t * (b.1 - a.1), a.2 + t * (b.2 - a.2))
        };
        let ends = if (b.0 - a.0).abs() < 1e-9 {
            [(a.1, a.2), (b.1, b.2)]
        } else {
            [at(left.max(rect.x0)), at(right.min(rect.x1))]
        };
        let values = ends.iter().flat_map(|&(p, q)| [p, q]);
        let lo = values.clone().fold(f64::INFINITY, f64::min);
        let hi = values.fold(f64::NEG_INFINITY, f64::max);
        spans(lo, hi)
    })
}

/// The pixel box of a label of `size` put to `side` of the pixel point `at`,
/// as [`annotate`] draws it.
fn label_box(theme: &Theme, (x, y): (i32, i32), (w, h): (i32, i32), side: Side) -> PixelRect {
    let gap = f64::from(theme.px(12.0));
    let (x, y, w, h) = (f64::from(x), f64::from(y), f64::from(w), f64::from(h));
    let (x0, x1) = match side {
        Side::AboveRight | Side::BelowRight | Side::Right => (x + gap, x + gap + w),
        Side::AboveLeft | Side::BelowLeft | Side::Left => (x - gap - w, x - gap),
    };
    let (y0, y1) = match side {
        Side::AboveRight | Side::AboveLeft => (y - gap - h, y - gap),
        Side::BelowRight | Side::BelowLeft => (y + gap, y + gap + h),
        Side::Right | Side::Left => (y - h / 2.0, y + h / 2.0),
    };
    PixelRect { x0, y0, x1, y1 }
}

/// Writes `text` at the first of `candidates` (anchor point and side) where it
/// stays inside the plot and covers none of `obstacles`; failing that, at the
/// first that stays inside the plot, or the first.
pub fn place_label<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    candidates: &[((f64, f64), Side)],
    obstacles: &[Obstacle],
) -> Drawn<DB> {
    place_label_with(
        chart,
        theme,
        text,
        candidates,
        obstacles,
        &theme.annotation_font(),
    )
}

/// Like [`place_label`], in `style`.
pub fn place_label_with<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    candidates: &[((f64, f64), Side)],
    obstacles: &[Obstacle],
    style: &TextStyle,
) -> Drawn<DB> {
    let size = chart
        .plotting_area()
        .estimate_text_size(text, style)
        .map_or((0, 0), |(w, h)| (w as i32, h as i32));
    let plot = plot_rect(chart);
    let inside = |r: &PixelRect| contains(plot, *r);
    let pixels = obstacle_pixels(chart, obstacles);
    let boxes: Vec<PixelRect> = candidates
        .iter()
        .map(|&(at, side)| label_box(theme, chart.backend_coord(&at), size, side))
        .collect();
    let free = |r: &PixelRect| inside(r) && !pixels.iter().any(|p| crosses(&p.vertices, *r));
    let chosen = boxes
        .iter()
        .position(free)
        .or_else(|| boxes.iter().position(inside))
        .unwrap_or(0);
    match candidates.get(chosen) {
        Some(&(at, side)) => annotate_with(chart, theme, text, at, side, style),
        None => Ok(()),
    }
}

/// The plot's rectangle in backend pixels.
fn plot_rect<DB: DrawingBackend>(chart: &Plot<DB>) -> PixelRect {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    PixelRect {
        x0: f64::from(xs.start),
        y0: f64::from(ys.start),
        x1: f64::from(xs.end),
        y1: f64::from(ys.end),
    }
}

/// Whether `inner` lies within `outer`.
fn contains(outer: PixelRect, inner: PixelRect) -> bool {
    inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 && inner.y1 <= outer.y1
}

/// An [`Obstacle`] in backend pixels: its vertices as [`crosses`] takes
/// them, and its [`Obstacle::crossing_cost`].
#[derive(Clone, Debug, PartialEq)]
pub struct PixelObstacle {
    /// `(x, y_a, y_b)` vertices in pixels.
    pub vertices: Vec<(f64, f64, f64)>,
    /// What a label across it costs, as a share of the label's area.
    pub crossing_cost: f64,
}

/// Obstacles in backend pixels.
fn obstacle_pixels<DB: DrawingBackend>(
    chart: &Plot<DB>,
    obstacles: &[Obstacle],
) -> Vec<PixelObstacle> {
    obstacles
        .iter()
        .map(|o| PixelObstacle {
            vertices: o
                .vertices
                .iter()
                .map(|&(x, lo, hi)| {
                    let (px, a) = chart.backend_coord(&(x, lo));
                    let (_, b) = chart.backend_coord(&(x, hi));
                    (f64::from(px), f64::from(a), f64::from(b))
                })
                .collect(),
            crossing_cost: o.crossing_cost,
        })
        .collect()
}

/// A label next to a data point: a name (bold when `bold`) and any number of
/// regular lines under it. A bold label of several lines is a name over one
/// line of detail: every line but the last is the name (so a long name may
/// take two lines).
#[derive(Clone, Debug)]
pub struct PointLabel {
    /// The point, in data units.
    pub at: (f64, f64),
    /// Other points the label may stand by instead, in order of preference
    /// (places along a line, say); none for a label that belongs to its point.
    pub alternatives: Vec<(f64, f64)>,
    /// The lines.
    pub lines: Vec<String>,
    /// Whether the name lines are bold or all are regular (a note).
    pub bold: bool,
    /// The colour of the first line, to tie a name to its marker; the text
    /// colour when `None`.
    pub colour: Option<RGBColor>,
}

/// The twelve places tried around a point, in order: right, left, above,
/// below, the diagonals, then above and below with the label running off to
/// the right or to the left of the point.
const AROUND: usize = 12;

/// How many rings of places, ever farther from the point, a label of its own
/// point tries before giving up (beyond the first, a leader line joins label
/// and point).
const RINGS: usize = 4;

/// How far the diagonal places of [`around`] stand from the point, in each
/// direction, as a share of the gap of the others.
const DIAGONAL: f64 = 0.85;

/// The gap between a label and its point, at least `gap`, at which every
/// place of [`around`] stays clear of a marker's blocked square of half-side
/// `marker`.
fn gap_clear_of_markers(gap: f64, marker: f64) -> f64 {
    gap.max(marker / DIAGONAL + 1.0)
}

/// The pixel box of a `(w, h)` label at place `k` of `AROUND` around the
/// pixel point `(x, y)`, `gap` away from it.
pub fn around(k: usize, (x, y): (f64, f64), (w, h): (f64, f64), gap: f64) -> PixelRect {
    let d = gap * DIAGONAL;
    let (x0, y0) = match k {
        0 => (x + gap, y - h / 2.0),
        1 => (x - gap - w, y - h / 2.0),
        2 => (x - w / 2.0, y - gap - h),
        3 => (x - w / 2.0, y + gap),
        4 => (x + d, y - d - h),
        5 => (x - d - w, y - d - h),
        6 => (x + d, y + d),
        7 => (x - d - w, y + d),
        8 => (x - w * 0.1, y - gap - h),
        9 => (x - w * 0.9, y - gap - h),
        10 => (x - w * 0.1, y + gap),
        _ => (x - w * 0.9, y + gap),
    };
    PixelRect {
        x0,
        y0,
        x1: x0 + w,
        y1: y0 + h,
    }
}

/// `rect` grown by `m` on every side.
fn grown(rect: PixelRect, m: f64) -> PixelRect {
    PixelRect {
        x0: rect.x0 - m,
        y0: rect.y0 - m,
        x1: rect.x1 + m,
        y1: rect.y1 + m,
    }
}

/// The area two rectangles share.
fn overlap(a: PixelRect, b: PixelRect) -> f64 {
    let w = a.x1.min(b.x1) - a.x0.max(b.x0);
    let h = a.y1.min(b.y1) - a.y0.max(b.y0);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

/// A label to place: where it may stand and how large it is.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelRequest {
    /// Its point and the alternative points, in pixels, preferred first.
    pub anchors: Vec<(f64, f64)>,
    /// Width and height in pixels.
    pub size: (f64, f64),
    /// How many rings of places around each anchor to try (at least 1).
    pub rings: usize,
}

/// Where a label went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// Its box, in pixels.
    pub rect: PixelRect,
    /// The anchor it stands by (an index into the request's anchors).
    pub anchor: usize,
    /// The ring: 0 next to the anchor, more when pushed away.
    pub ring: usize,
}

/// Labels beyond this many are placed in the order given; up to it, every
/// order is tried and the best layout kept (7! = 5,040 orders at most).
const MAX_PERMUTED: usize = 7;

/// Rounds of pairwise improvement after the first layout.
const IMPROVEMENT_ROUNDS: usize = 6;

/// Every place a label may take: by anchor, then ring outwards, then the
/// places of [`around`].
fn candidates(request: &LabelRequest, gap: f64) -> Vec<Placed> {
    let (w, h) = request.size;
    let mut out = Vec::new();
    for (a, &anchor) in request.anchors.iter().enumerate() {
        for ring in 0..request.rings.max(1) {
            let distance = gap + ring as f64 * (h.max(2.0 * gap) + gap);
            for k in 0..AROUND {
                out.push(Placed {
                    rect: around(k, anchor, (w, h), distance),
                    anchor: a,
                    ring,
                });
            }
        }
    }
    out
}

/// What a layout must avoid, in pixels.
struct Scene<'a> {
    bounds: PixelRect,
    blocked: &'a [PixelRect],
    obstacles: &'a [PixelObstacle],
    /// Margin around markers and labels that a leader line must keep.
    margin: f64,
}

impl Scene<'_> {
    /// The cost of label `request` at `p` on its own: outside the plot,
    /// over markers or lines, pushed away from its point.
    fn own_cost(&self, request: &LabelRequest, p: &Placed) -> f64 {
        let area = (request.size.0 * request.size.1).max(1.0);
        let outside = if contains(self.bounds, p.rect) {
            0.0
        } else {
            1e6 * area
        };
        // Covering a marker hides data: it costs more than any push away.
        let covered: f64 = self
            .blocked
            .iter()
            .map(|&b| overlap(p.rect, b))
            .filter(|&o| o > 0.0)
            .map(|o| 2.0 * area + 4.0 * o)
            .sum();
        // The label's white ground reaches a little beyond its text: a
        // marker it grazes is partly hidden, which costs by the area hidden.
        let ground = grown(p.rect, self.margin / 2.0);
        let grazed: f64 = self.blocked.iter().map(|&b| 4.0 * overlap(ground, b)).sum();
        let crossed: f64 = self
            .obstacles
            .iter()
            .filter(|o| crosses(&o.vertices, p.rect))
            .map(|o| o.crossing_cost)
            .sum();
        let leader_hits = match self.leader(request, p) {
            Some((from, to)) => self
                .blocked
                .iter()
                .filter(|b| self.leader_hits(from, to, **b))
                .count() as f64,
            None => 0.0,
        };
        // A reference line behind a label shows through its white ground:
        // better than a label pushed far from its point, worse than a free
        // place; a label over the chart's data is worse (see the costs).
        outside
            + covered
            + grazed
            + leader_hits * 2.5 * area
            + crossed * area
            + (p.ring as f64 * 0.1 + p.anchor as f64 * 0.05) * area
    }

    /// The cost of two labels together: overlapping, or one's leader line
    /// through the other.
    fn pair_cost(
        &self,
        (ra, a): (&LabelRequest, &Placed),
        (rb, b): (&LabelRequest, &Placed),
    ) -> f64 {
        let area_a = (ra.size.0 * ra.size.1).max(1.0);
        let area_b = (rb.size.0 * rb.size.1).max(1.0);
        // Labels keep a little clear space between them.
        let m = self.margin / 2.0;
        let grown = grown(a.rect, m);
        let o = overlap(grown, b.rect);
        let mut cost = if o > 0.0 {
            2.0 * area_a.min(area_b) + 4.0 * o
        } else {
            0.0
        };
        if let Some((from, to)) = self.leader(ra, a)
            && self.leader_hits(from, to, b.rect)
        {
            cost += 2.5 * area_a;
        }
        if let Some((from, to)) = self.leader(rb, b)
            && self.leader_hits(from, to, a.rect)
        {
            cost += 2.5 * area_b;
        }
        // Two leader lines that cross leave the reader to guess which label
        // is whose.
        if let (Some(la), Some(lb)) = (self.leader(ra, a), self.leader(rb, b))
            && segments_cross(la, lb)
        {
            cost += 2.5 * area_a.min(area_b);
        }
        cost
    }

    /// The leader line of a label pushed away from its point.
    fn leader(&self, request: &LabelRequest, p: &Placed) -> Option<((f64, f64), (f64, f64))> {
        (p.ring > 0).then(|| {
            let anchor = request.anchors[p.anchor];
            (anchor, nearest_on(p.rect, anchor))
        })
    }

    /// Whether a leader from `from` to `to` runs through `rect` (with a
    /// margin), leaving aside a rectangle around its own start.
    fn leader_hits(&self, from: (f64, f64), to: (f64, f64), rect: PixelRect) -> bool {
        let m = self.margin;
        let grown = grown(rect, m);
        let start = PixelRect {
            x0: from.0,
            y0: from.1,
            x1: from.0,
            y1: from.1,
        };
        !contains(grown, start) && segment_hits(from, to, grown)
    }

    /// The cost of a whole layout.
    fn cost(&self, requests: &[LabelRequest], layout: &[Placed]) -> f64 {
        let mut total = 0.0;
        for i in 0..layout.len() {
            total += self.own_cost(&requests[i], &layout[i]);
            for j in i + 1..layout.len() {
                total += self.pair_cost((&requests[i], &layout[i]), (&requests[j], &layout[j]));
            }
        }
        total
    }

    /// The cost label `i` adds to `layout` at `p`, the others as they are.
    fn cost_of(&self, requests: &[LabelRequest], layout: &[Placed], i: usize, p: &Placed) -> f64 {
        self.own_cost(&requests[i], p)
            + (0..layout.len())
                .filter(|&j| j != i)
                .map(|j| self.pair_cost((&requests[i], p), (&requests[j], &layout[j])))
                .sum::<f64>()
    }
}

/// Chooses a box for each label so that, where the plot leaves room, none
/// leaves `bounds`, overlaps another, covers a marker of `blocked` or lies
/// across a line of `obstacles` (pixel vertices for [`crosses`]), and each
/// stays near its first anchor: the places tried are those of [`around`],
/// ring after ring outwards, by each anchor in turn; a label pushed off its
/// first ring gets a leader line, which must not cross another label or a
/// marker. The first layout places the labels one by one, each at its first
/// free place, trying every order of the labels with a single anchor (up to
/// `MAX_PERMUTED` of them); pairs of labels are then moved together while
/// that lowers the cost of the layout.
pub fn choose_label_boxes(
    requests: &[LabelRequest],
    gap: f64,
    bounds: PixelRect,
    blocked: &[PixelRect],
    obstacles: &[PixelObstacle],
) -> Vec<Placed> {
    let scene = Scene {
        bounds,
        blocked,
        obstacles,
        margin: gap / 2.0,
    };
    let (own, shared): (Vec<usize>, Vec<usize>) =
        (0..requests.len()).partition(|&i| requests[i].anchors.len() <= 1);
    let mut orders: Vec<Vec<usize>> = Vec::new();
    if own.len() <= MAX_PERMUTED {
        permutations(&own, &mut Vec::new(), &mut orders);
    } else {
        orders.push(own.clone());
    }
    let mut best: Option<(f64, Vec<Placed>)> = None;
    for mut order in orders {
        order.extend(&shared);
        let placed = place_in_order(&scene, requests, &order, gap);
        let mut layout = placed.clone();
        for (k, &i) in order.iter().enumerate() {
            layout[i] = placed[k];
        }
        let cost = scene.cost(requests, &layout);
        if best.as_ref().is_none_or(|(b, _)| cost < *b - 1e-9) {
            best = Some((cost, layout));
        }
    }
    let Some((mut cost, mut layout)) = best else {
        return Vec::new();
    };
    // Pairwise improvement: two labels change places together when that
    // lowers the cost, which one at a time cannot find.
    let all: Vec<Vec<Placed>> = requests.iter().map(|r| candidates(r, gap)).collect();
    for _ in 0..IMPROVEMENT_ROUNDS {
        let mut improved = false;
        for i in 0..layout.len() {
            for j in i + 1..layout.len() {
                let before = scene.cost_of(requests, &layout, i, &layout[i])
                    + scene.cost_of(requests, &layout, j, &layout[j])
                    - scene.pair_cost((&requests[i], &layout[i]), (&requests[j], &layout[j]));
                let mut best_pair: Option<(f64, Placed, Placed)> = None;
                for a in &all[i] {
                    let alone_a = scene.own_cost(&requests[i], a);
                    if alone_a >= before {
                        continue;
                    }
                    let with_others_a: f64 = (0..layout.len())
                        .filter(|&k| k != i && k != j)
                        .map(|k| scene.pair_cost((&requests[i], a), (&requests[k], &layout[k])))
                        .sum();
                    for b in &all[j] {
                        let mut trial = alone_a + with_others_a;
                        if trial >= before {
                            break;
                        }
                        trial += scene.own_cost(&requests[j], b)
                            + scene.pair_cost((&requests[i], a), (&requests[j], b))
                            + (0..layout.len())
                                .filter(|&k| k != i && k != j)
                                .map(|k| {
                                    scene.pair_cost((&requests[j], b), (&requests[k], &layout[k]))
                                })
                                .sum::<f64>();
                        if trial < before - 1e-6
                            && best_pair.as_ref().is_none_or(|(c, _, _)| trial < *c)
                        {
                            best_pair = Some((trial, *a, *b));
                        }
                    }
                }
                if let Some((_, a, b)) = best_pair {
                    layout[i] = a;
                    layout[j] = b;
                    improved = true;
                }
            }
        }
        let now = scene.cost(requests, &layout);
        if !improved || now >= cost - 1e-6 {
            break;
        }
        cost = now;
    }
    layout
}

/// Every order of `items`, appended to `out`.
fn permutations(items: &[usize], prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    if items.is_empty() {
        out.push(prefix.clone());
        return;
    }
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        prefix.push(rest.remove(i));
        permutations(&rest, prefix, out);
        prefix.pop();
    }
}

/// Places the labels in `order`, each at its first free place given those
/// before it (or its cheapest), and returns the boxes in that order.
fn place_in_order(
    scene: &Scene,
    requests: &[LabelRequest],
    order: &[usize],
    gap: f64,
) -> Vec<Placed> {
    let mut chosen: Vec<(usize, Placed)> = Vec::with_capacity(order.len());
    for &i in order {
        let request = &requests[i];
        let area = (request.size.0 * request.size.1).max(1.0);
        let mut best: Option<(f64, Placed)> = None;
        for p in candidates(request, gap) {
            let c = scene.own_cost(request, &p)
                + chosen
                    .iter()
                    .map(|(j, q)| scene.pair_cost((request, &p), (&requests[*j], q)))
                    .sum::<f64>();
            let free = (p.ring as f64 * 0.1 + p.anchor as f64 * 0.05) * area;
            if best.is_none_or(|(b, _)| c < b) {
                best = Some((c, p));
            }
            if c <= free + 1e-9 {
                break;
            }
        }
        let placed = best.map_or(
            Placed {
                rect: around(
                    0,
                    request.anchors.first().copied().unwrap_or((0.0, 0.0)),
                    request.size,
                    gap,
                ),
                anchor: 0,
                ring: 0,
            },
            |(_, p)| p,
        );
        chosen.push((i, placed));
    }
    chosen.into_iter().map(|(_, p)| p).collect()
}

/// Whether the segment from `a` to `b` enters `rect` (sampled finely enough
/// for label-sized boxes).
fn segment_hits(a: (f64, f64), b: (f64, f64), rect: PixelRect) -> bool {
    let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 2.0)
        .ceil()
        .max(1.0) as usize;
    (0..=steps).any(|i| {
        let t = i as f64 / steps as f64;
        let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        x > rect.x0 && x < rect.x1 && y > rect.y0 && y < rect.y1
    })
}

/// Whether segments `a` and `b` cross at a point inside both (touching ends
/// and parallel segments do not count).
pub fn segments_cross(a: ((f64, f64), (f64, f64)), b: ((f64, f64), (f64, f64))) -> bool {
    let side = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
    let (d1, d2) = (side(b.0, b.1, a.0), side(b.0, b.1, a.1));
    let (d3, d4) = (side(a.0, a.1, b.0), side(a.0, a.1, b.1));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// The point of `rect` nearest to `(x, y)`.
fn nearest_on(rect: PixelRect, (x, y): (f64, f64)) -> (f64, f64) {
    (x.clamp(rect.x0, rect.x1), y.clamp(rect.y0, rect.y1))
}

/// Writes every label next to its point, none over another, over a marker in
/// `markers` or across `obstacles` where the plot leaves room (see
/// [`choose_label_boxes`]); labels earlier in `labels` choose first. A label
/// pushed away from its point is joined to it by a thin leader line, and
/// every label stands on a faint white ground, so that a line passing behind
/// it does not hide its letters.
pub fn draw_point_labels<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    labels: &[PointLabel],
    markers: &[(f64, f64)],
    obstacles: &[Obstacle],
) -> Drawn<DB> {
    let area = chart.plotting_area();
    let bold = theme.annotation_font();
    let regular = theme.font(size::ANNOTATION, palette::TEXT);
    let note = theme.font(size::ANNOTATION * 0.85, palette::MUTED_TEXT);
    let style_of = |label: &PointLabel, i: usize| {
        if !label.bold {
            note.clone()
        } else if i == 0 || i + 1 < label.lines.len() {
            match label.colour {
                Some(c) => theme.bold(size::ANNOTATION, text_colour(c)),
                None => bold.clone(),
            }
        } else {
            regular.clone()
        }
    };
    let line_height = |label: &PointLabel| {
        f64::from(theme.px(size::ANNOTATION * if label.bold { 1.2 } else { 1.0 }))
    };
    let pixel = |at: &(f64, f64)| {
        let (x, y) = chart.backend_coord(at);
        (f64::from(x), f64::from(y))
    };
    let requests: Vec<LabelRequest> = labels
        .iter()
        .map(|label| {
            let width = label
                .lines
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    area.estimate_text_size(t, &style_of(label, i))
                        .map_or(0.0, |(w, _)| f64::from(w))
                })
                .fold(0.0, f64::max);
            LabelRequest {
                anchors: std::iter::once(&label.at)
                    .chain(&label.alternatives)
                    .map(pixel)
                    .collect(),
                size: (width, line_height(label) * label.lines.len() as f64),
                rings: if label.alternatives.is_empty() {
                    RINGS
                } else {
                    1
                },
            }
        })
        .collect();
    let r = f64::from(theme.px(size::MARKER + 3.0));
    let blocked: Vec<PixelRect> = markers
        .iter()
        .map(|m| {
            let (x, y) = pixel(m);
            PixelRect {
                x0: x - r,
                y0: y - r,
                x1: x + r,
                y1: y + r,
            }
        })
        .collect();
    let pad = f64::from(theme.px(3.0));
    // Labels and their white ground stay clear of the axes.
    let plot = plot_rect(chart);
    let inset = pad + f64::from(theme.px(3.0));
    let bounds = PixelRect {
        x0: plot.x0 + inset,
        y0: plot.y0 + inset,
        x1: plot.x1 - inset,
        y1: plot.y1 - inset,
    };
    // The diagonal places keep clear of a marker's blocked square at any
    // size: rounding to whole pixels can make the square the larger at small
    // sizes (6 against 5.95 pixels at 800x450), which would leave a label
    // only the places straight above or below, across the lines there.
    let gap = gap_clear_of_markers(f64::from(theme.px(14.0)), r);
    let placed = choose_label_boxes(
        &requests,
        gap,
        bounds,
        &blocked,
        &obstacle_pixels(chart, obstacles),
    );
    let whole = area.strip_coord_spec();
    let (base_x, base_y) = whole.get_base_pixel();
    let local = |(x, y): (f64, f64)| {
        (
            (x - f64::from(base_x)).round() as i32,
            (y - f64::from(base_y)).round() as i32,
        )
    };
    for ((label, request), p) in labels.iter().zip(&requests).zip(&placed) {
        let rect = p.rect;
        let anchor = request.anchors[p.anchor];
        if p.ring > 0 {
            // From the marker's edge to the label's.
            let end = nearest_on(rect, anchor);
            let length = (end.0 - anchor.0).hypot(end.1 - anchor.1).max(1.0);
            let start = (
                anchor.0 + (end.0 - anchor.0) * r / length,
                anchor.1 + (end.1 - anchor.1) * r / length,
            );
            whole.draw(&PathElement::new(
                vec![local(start), local(end)],
                theme.line(palette::SAMPLE, 1.5),
            ))?;
        }
        whole.draw(&Rectangle::new(
            [
                local((rect.x0 - pad, rect.y0 - pad)),
                local((rect.x1 + pad, rect.y1 + pad)),
            ],
            WHITE.mix(0.8).filled(),
        ))?;
        let lh = line_height(label);
        for (i, text) in label.lines.iter().enumerate() {
            let style = style_of(label, i).pos(Pos::new(HPos::Left, VPos::Top));
            whole.draw_text(text, &style, local((rect.x0, rect.y0 + lh * i as f64)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_avoid_lines_and_bands() {
        let rect = PixelRect {
            x0: 10.0,
            y0: 10.0,
            x1: 20.0,
            y1: 20.0,
        };
        // A line passing below, then one rising through the box.
        assert!(!crosses(&[(0.0, 30.0, 30.0), (40.0, 25.0, 25.0)], rect));
        assert!(crosses(&[(0.0, 30.0, 30.0), (30.0, 0.0, 0.0)], rect));
        // A band whose edges miss the box but which covers it.
        assert!(crosses(&[(0.0, 0.0, 40.0), (40.0, 0.0, 40.0)], rect));
        // Segments wholly left or right of the box.
        assert!(!crosses(&[(0.0, 15.0, 15.0), (5.0, 15.0, 15.0)], rect));
        assert!(!crosses(&[(25.0, 15.0, 15.0), (30.0, 15.0, 15.0)], rect));
        // A vertical segment, a point, and a step between bars.
        assert!(crosses(&[(15.0, 0.0, 40.0)], rect));
        assert!(!crosses(&[(25.0, 15.0, 15.0)], rect));
        assert!(crosses(
            &[
                (5.0, 30.0, 30.0),
                (15.0, 30.0, 30.0),
                (15.0, 12.0, 12.0),
                (30.0, 12.0, 12.0)
            ],
            rect
        ));
    }

    #[test]
    fn places_around_a_point_keep_their_distance() {
        let size = (40.0, 10.0);
        for k in 0..AROUND {
            let r = around(k, (100.0, 100.0), size, 5.0);
            assert!((r.x1 - r.x0 - 40.0).abs() < 1e-9 && (r.y1 - r.y0 - 10.0).abs() < 1e-9);
            assert!(
                !(r.x0 < 100.0 && r.x1 > 100.0 && r.y0 < 100.0 && r.y1 > 100.0),
                "place {k} covers its point"
            );
        }
        assert_eq!(around(0, (100.0, 100.0), size, 5.0).x0, 105.0);
        assert_eq!(around(1, (100.0, 100.0), size, 5.0).x1, 95.0);
        assert_eq!(around(2, (100.0, 100.0), size, 5.0).y1, 95.0);
    }

    #[test]
    fn no_place_covers_its_own_marker_at_small_sizes() {
        // At 800x450 a marker's blocked square rounds to 6 pixels, the gap
        // to 7: the diagonal places would touch the square.
        let at = (100.0, 100.0);
        let square = point_rect(at, 6.0);
        let touching = (0..AROUND)
            .filter(|&k| overlap(around(k, at, (40.0, 10.0), 7.0), square) > 0.0)
            .count();
        assert!(touching > 0, "the check can fail");
        let gap = gap_clear_of_markers(7.0, 6.0);
        for k in 0..AROUND {
            let place = around(k, at, (40.0, 10.0), gap);
            assert_eq!(overlap(place, square), 0.0, "place {k}");
        }
        // At 1600x900 nothing changes.
        assert_eq!(gap_clear_of_markers(14.0, 11.0), 14.0);
    }

    fn point_rect((x, y): (f64, f64), r: f64) -> PixelRect {
        PixelRect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    #[test]
    fn crowded_labels_overlap_neither_each_other_nor_the_markers() {
        // Three points close together near the corner of the plot, as the
        // cheap options sit near the origin of the cost chart, and two apart.
        let bounds = PixelRect {
            x0: 100.0,
            y0: 240.0,
            x1: 1530.0,
            y1: 760.0,
        };
        let points = [
            (393.0, 676.0),
            (269.0, 689.0),
            (179.0, 703.0),
            (698.0, 552.0),
            (1389.0, 335.0),
        ];
        let requests: Vec<LabelRequest> = points
            .iter()
            .map(|&p| LabelRequest {
                anchors: vec![p],
                size: (235.0, 70.0),
                rings: RINGS,
            })
            .collect();
        let blocked: Vec<PixelRect> = points.iter().map(|&p| point_rect(p, 11.0)).collect();
        let placed = choose_label_boxes(&requests, 14.0, bounds, &blocked, &[]);
        assert_eq!(placed.len(), points.len());
        for (i, a) in placed.iter().enumerate() {
            assert!(contains(bounds, a.rect), "label {i} leaves the plot: {a:?}");
            for b in &blocked {
                assert_eq!(overlap(a.rect, *b), 0.0, "label {i} covers a marker");
            }
            for b in &placed[i + 1..] {
                assert_eq!(overlap(a.rect, b.rect), 0.0, "labels overlap: {a:?} {b:?}");
            }
        }
        // The lone points keep their labels beside them.
        assert_eq!(placed[3].ring, 0);
        assert_eq!(placed[4].ring, 0);
    }

    #[test]
    fn a_label_along_a_line_moves_to_a_free_anchor() {
        let bounds = PixelRect {
            x0: 0.0,
            y0: 0.0,
            x1: 1000.0,
            y1: 600.0,
        };
        // Something fills the space around the line's far end; the next
        // anchor along the line is free.
        let filled = PixelRect {
            x0: 700.0,
            y0: 100.0,
            x1: 1000.0,
            y1: 500.0,
        };
        let line = LabelRequest {
            anchors: vec![(990.0, 310.0), (500.0, 500.0)],
            size: (100.0, 20.0),
            rings: 1,
        };
        let placed = choose_label_boxes(&[line], 10.0, bounds, &[filled], &[]);
        assert_eq!(placed[0].anchor, 1);
        assert_eq!(overlap(placed[0].rect, filled), 0.0);
    }

    #[test]
    fn crossing_segments_are_told_from_touching_and_parallel_ones() {
        let x = ((0.0, 0.0), (10.0, 10.0));
        assert!(segments_cross(x, ((0.0, 10.0), (10.0, 0.0))));
        assert!(!segments_cross(x, ((0.0, 1.0), (10.0, 11.0))), "parallel");
        assert!(
            !segments_cross(x, ((10.0, 10.0), (20.0, 0.0))),
            "shared end"
        );
        assert!(!segments_cross(x, ((6.0, 0.0), (10.0, 4.0))), "apart");
    }
}
