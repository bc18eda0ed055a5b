//! The helpers that draw a chart's frame (title, subtitle, legend, source line)
//! and its primitives (bands, lines, dashed lines, markers, whiskers, the
//! target, reference lines, panel headings) in the shared [`super::theme`].
//! Chart modules compose these instead of styling plotters themselves; axes are
//! drawn by [`super::axis`] and labels placed by [`super::labels`].

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, Plot};
use super::labels::{Obstacle, Side, place_label};
use super::theme::{Drawn, Theme, line_height, palette, size};

/// The swatch of a legend entry.
#[derive(Clone, Copy, Debug)]
pub enum Mark {
    /// A thick solid line.
    Line(RGBColor),
    /// A thick dashed line.
    Dashed(RGBColor),
    /// A thin dotted line: a boundary or a percentile.
    Dotted(RGBColor),
    /// A thin line.
    Thin(RGBColor),
    /// A filled block, with the given opacity.
    Fill(RGBColor, f64),
    /// Adjacent blocks of one colour at several opacities (nested bands).
    Shades(RGBColor, [f64; 3]),
    /// A dot: an observed value.
    Dot(RGBColor),
    /// A dashed line through a diamond: the target.
    Target,
    /// A diamond: a highlighted point.
    Diamond(RGBColor),
    /// A dot on a horizontal whisker: an estimate with its interval.
    Interval(RGBColor),
    /// A light block with thin edges: a band between two lines.
    Band(RGBColor),
    /// A hollow ring: an uncertain estimate.
    Ring(RGBColor),
}

/// One entry of a legend.
#[derive(Clone, Debug)]
pub struct LegendItem {
    /// What the entry is called.
    pub label: String,
    /// Its swatch.
    pub mark: Mark,
}

impl LegendItem {
    /// An entry.
    pub fn new(label: impl Into<String>, mark: Mark) -> LegendItem {
        LegendItem {
            label: label.into(),
            mark,
        }
    }
}

/// The text around a chart.
pub struct Frame<'a> {
    /// Bold title at the top.
    pub title: &'a str,
    /// One line (wrapped if needed) under the title.
    pub subtitle: &'a str,
    /// Legend entries, laid out in rows above the plot, never over the data.
    pub legend: &'a [LegendItem],
}

impl<'a> Frame<'a> {
    /// A frame with this title, subtitle and legend.
    pub fn new(title: &'a str, subtitle: &'a str, legend: &'a [LegendItem]) -> Frame<'a> {
        Frame {
            title,
            subtitle,
            legend,
        }
    }
}

/// Splits `text` into lines no wider than `width` pixels.
pub fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: i32,
) -> Vec<String> {
    let fits = |s: &str| {
        area.estimate_text_size(s, style)
            .map_or(true, |(w, _)| w as i32 <= width)
    };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Draws the white background, title, subtitle, legend and source line, and
/// returns the area left for the plot.
pub fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (width, height) = root.dim_in_pixel();
    let left = theme.px(size::MARGIN_X);
    let inner = width as i32 - 2 * left;
    let mut y = theme.px(size::MARGIN_TOP);

    let title = theme.bold(size::TITLE, palette::TEXT);
    for line in wrap(root, frame.title, &title, inner) {
        root.draw_text(&line, &title, (left, y))?;
        y += line_height(theme, size::TITLE);
    }
    y += theme.px(4.0);
    let subtitle = theme.font(size::SUBTITLE, palette::MUTED_TEXT);
    for line in wrap(root, frame.subtitle, &subtitle, inner) {
        root.draw_text(&line, &subtitle, (left, y))?;
        y += line_height(theme, size::SUBTITLE);
    }
    if !frame.legend.is_empty() {
        y += theme.px(14.0);
        y = draw_legend(root, theme, frame.legend, (left, y), inner)?;
    }

    let source = theme.font(size::SOURCE, palette::FAINT_TEXT);
    let bottom = height as i32 - theme.px(size::MARGIN_BOTTOM);
    root.draw_text(
        &theme.source,
        &source.pos(Pos::new(HPos::Left, VPos::Bottom)),
        (left, bottom),
    )?;
    let source_height = line_height(theme, size::SOURCE) + theme.px(12.0);
    Ok(root.margin(
        y + theme.px(10.0),
        height as i32 - bottom + source_height,
        left,
        left,
    ))
}

/// Draws legend entries in rows from `origin`, wrapping at `width`, and returns
/// the y just below the last row.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    items: &[LegendItem],
    (left, top): (i32, i32),
    width: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = theme.font(size::LEGEND, palette::TEXT);
    let swatch = theme.px(40.0);
    let gap = theme.px(10.0);
    let spacing = theme.px(32.0);
    let row = line_height(theme, size::LEGEND) + theme.px(8.0);
    let (mut x, mut y) = (left, top);
    for item in items {
        let text_width = area
            .estimate_text_size(&item.label, &style)
            .map_or(0, |(w, _)| w as i32);
        let entry = swatch + gap + text_width;
        if x > left && x + entry > left + width {
            x = left;
            y += row;
        }
        let mid = y + row / 2 - theme.px(4.0);
        draw_swatch(area, theme, item.mark, (x, mid), swatch)?;
        area.draw_text(
            &item.label,
            &style.pos(Pos::new(HPos::Left, VPos::Center)),
            (x + swatch + gap, mid),
        )?;
        x += entry + spacing;
    }
    Ok(y + row)
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    mark: Mark,
    (x, mid): (i32, i32),
    width: i32,
) -> Drawn<DB> {
    let half = theme.px(11.0);
    let block = |x0: i32, x1: i32, c: RGBColor, opacity: f64| {
        area.draw(&Rectangle::new(
            [(x0, mid - half), (x1, mid + half)],
            c.mix(opacity).filled(),
        ))
    };
    let dashes = |c: RGBColor| -> Drawn<DB> {
        let dash = width / 4;
        for i in [0, 2] {
            let x0 = x + i * dash + dash / 4;
            area.draw(&PathElement::new(
                vec![(x0, mid), (x0 + dash + dash / 2, mid)],
                theme.line(c, size::LINE * 0.8),
            ))?;
        }
        Ok(())
    };
    match mark {
        Mark::Line(c) => area.draw(&PathElement::new(
            vec![(x, mid), (x + width, mid)],
            theme.line(c, size::LINE),
        )),
        Mark::Thin(c) => area.draw(&PathElement::new(
            vec![(x, mid), (x + width, mid)],
            theme.line(c, size::THIN_LINE * 1.5),
        )),
        Mark::Dashed(c) => dashes(c),
        Mark::Dotted(c) => {
            let (dot, gap) = (theme.px(4.0), theme.px(6.0));
            let style = theme.line(c, size::THIN_LINE * 1.25);
            let mut x0 = x;
            while x0 < x + width {
                let x1 = (x0 + dot).min(x + width);
                area.draw(&PathElement::new(vec![(x0, mid), (x1, mid)], style))?;
                x0 += dot + gap;
            }
            Ok(())
        }
        Mark::Fill(c, opacity) => block(x, x + width, c, opacity),
        Mark::Shades(c, opacities) => {
            let step = width / 3;
            for (i, opacity) in opacities.into_iter().enumerate() {
                let x0 = x + i as i32 * step;
                block(x0, x0 + step, c, opacity)?;
            }
            Ok(())
        }
        Mark::Dot(c) => draw_marker(area, theme, (x + width / 2, mid), Marker::Dot, c),
        Mark::Target => {
            // One dash each side of a plain diamond: a white ring (as on the
            // plot) would cut the dashes down to dots at legend size.
            let centre = x + width / 2;
            let d = theme.px(7.0);
            let clear = theme.px(2.0);
            let style = theme.line(palette::REFERENCE, size::LINE * 0.8);
            for (x0, x1) in [(x, centre - d - clear), (centre + d + clear, x + width)] {
                area.draw(&PathElement::new(vec![(x0, mid), (x1, mid)], style))?;
            }
            let diamond = vec![(0, -d), (d, 0), (0, d), (-d, 0)];
            area.draw(
                &(EmptyElement::at((centre, mid))
                    + Polygon::new(diamond, palette::REFERENCE.filled())),
            )
        }
        Mark::Diamond(c) => draw_marker(area, theme, (x + width / 2, mid), Marker::Diamond, c),
        Mark::Ring(c) => draw_marker(area, theme, (x + width / 2, mid), Marker::Ring, c),
        Mark::Band(c) => {
            block(x, x + width, c, 0.18)?;
            for y in [mid - half, mid + half] {
                area.draw(&PathElement::new(
                    vec![(x, y), (x + width, y)],
                    theme.line(c.mix(0.55), 1.3),
                ))?;
            }
            Ok(())
        }
        Mark::Interval(c) => {
            let style = theme.line(c, size::LINE * 0.7);
            let cap = theme.px(size::CAP);
            area.draw(&PathElement::new(vec![(x, mid), (x + width, mid)], style))?;
            for end in [x, x + width] {
                area.draw(&PathElement::new(
                    vec![(end, mid - cap), (end, mid + cap)],
                    style,
                ))?;
            }
            draw_marker(area, theme, (x + width / 2, mid), Marker::Dot, c)
        }
    }
}

/// The shape of a point marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A round dot: observed values.
    Dot,
    /// A diamond: the target.
    Diamond,
    /// A hollow ring: an uncertain estimate.
    Ring,
}

/// A filled marker with a white ring, readable over bands and lines.
pub fn draw_marker<DB: DrawingBackend, X>(
    area: &DrawingArea<DB, X>,
    theme: &Theme,
    at: X::From,
    marker: Marker,
    colour: RGBColor,
) -> Drawn<DB>
where
    X: CoordTranslate,
    X::From: Clone,
{
    let r = theme.px(size::MARKER);
    let ring = theme.px(2.5);
    match marker {
        Marker::Dot => {
            area.draw(&Circle::new(at.clone(), r + ring, WHITE.filled()))?;
            area.draw(&Circle::new(at, r, colour.filled()))
        }
        Marker::Ring => {
            area.draw(&Circle::new(at.clone(), r + ring, WHITE.filled()))?;
            area.draw(&Circle::new(
                at,
                r - ring / 2,
                colour.stroke_width(ring.max(1) as u32 + 1),
            ))
        }
        Marker::Diamond => {
            let diamond = |d: i32| vec![(0, -d), (d, 0), (0, d), (-d, 0)];
            let d = r * 3 / 2;
            area.draw(
                &(EmptyElement::at(at.clone())
                    + Polygon::new(diamond(d + ring * 3 / 2), WHITE.filled())),
            )?;
            area.draw(&(EmptyElement::at(at) + Polygon::new(diamond(d), colour.filled())))
        }
    }
}

/// A band between two lines, filled with `colour` at `opacity`.
pub fn band<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    xs: &[f64],
    lo: &[f64],
    hi: &[f64],
    colour: RGBColor,
    opacity: f64,
) -> Drawn<DB> {
    let mut outline: Vec<(f64, f64)> = xs.iter().copied().zip(hi.iter().copied()).collect();
    outline.extend(xs.iter().copied().zip(lo.iter().copied()).rev());
    chart.draw_series(std::iter::once(Polygon::new(
        outline,
        colour.mix(opacity).filled(),
    )))?;
    Ok(())
}

/// A line through `(xs, ys)`.
pub fn line<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    xs: &[f64],
    ys: &[f64],
    style: ShapeStyle,
) -> Drawn<DB> {
    chart.draw_series(LineSeries::new(
        xs.iter().copied().zip(ys.iter().copied()),
        style,
    ))?;
    Ok(())
}

/// A dashed line through `points`.
pub fn dashed<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    points: Vec<(f64, f64)>,
    colour: RGBColor,
) -> Drawn<DB> {
    chart.draw_series(DashedLineSeries::new(
        points,
        theme.px(16.0),
        theme.px(10.0),
        theme.line(colour, size::LINE * 0.8),
    ))?;
    Ok(())
}

/// A thin dotted line from `from` to `to`: a boundary in time, such as the
/// end of the observed history, lighter than a target or reference line.
pub fn dotted<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    from: (f64, f64),
    to: (f64, f64),
) -> Drawn<DB> {
    chart.draw_series(DashedLineSeries::new(
        [from, to],
        theme.px(4.0),
        theme.px(6.0),
        theme.line(palette::AXIS, size::THIN_LINE * 1.25),
    ))?;
    Ok(())
}

/// The target: a dashed horizontal line across the plot, a diamond at the
/// target month, and its label by the line at the left (where paths start low)
/// or else at the right, wherever it covers none of `obstacles`.
pub fn draw_target<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    x: &Axis,
    (month, jobs): (f64, f64),
    label: &str,
    obstacles: &[Obstacle],
) -> Drawn<DB> {
    dashed(
        chart,
        theme,
        vec![(x.lo, jobs), (x.hi, jobs)],
        palette::REFERENCE,
    )?;
    draw_marker(
        chart.plotting_area(),
        theme,
        (month, jobs),
        Marker::Diamond,
        palette::REFERENCE,
    )?;
    let (left, right) = ((x.lo, jobs), (x.hi, jobs));
    place_label(
        chart,
        theme,
        label,
        &[
            (left, Side::AboveRight),
            (left, Side::BelowRight),
            (right, Side::AboveLeft),
            (right, Side::BelowLeft),
        ],
        obstacles,
    )
}

/// A horizontal interval at height `y` from `lo` to `hi`, with end caps: the
/// whisker of an estimate.
pub fn whisker<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    (lo, hi): (f64, f64),
    y: f64,
    colour: RGBColor,
) -> Drawn<DB> {
    let style = theme.line(colour, size::LINE * 0.7);
    let cap = theme.px(size::CAP);
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(lo, y), (hi, y)],
        style,
    )))?;
    for end in [lo, hi] {
        chart.plotting_area().draw(
            &(EmptyElement::at((end, y)) + PathElement::new(vec![(0, -cap), (0, cap)], style)),
        )?;
    }
    Ok(())
}

/// A small filled dot: one step of a trajectory.
pub fn small_dot<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    at: (f64, f64),
    colour: RGBColor,
) -> Drawn<DB> {
    chart
        .plotting_area()
        .draw(&Circle::new(at, theme.px(size::SMALL_DOT), colour.filled()))
}

/// Light vertical grid lines at the ticks of `x`, from `y.lo` to `y.hi`
/// (the axes draw horizontal ones only).
pub fn vertical_grid<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    x: &Axis,
    y: &Axis,
) -> Drawn<DB> {
    for t in &x.ticks {
        line(
            chart,
            &[t.value, t.value],
            &[y.lo, y.hi],
            theme.line(palette::GRID, 1.5),
        )?;
    }
    Ok(())
}

/// A thin solid vertical line at `x`, across the plot: a reference value.
pub fn reference_line<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    x: f64,
    y: &Axis,
) -> Drawn<DB> {
    line(
        chart,
        &[x, x],
        &[y.lo, y.hi],
        theme.line(palette::REFERENCE, 2.0),
    )
}

/// The height of the band above a plot that [`draw_axes`] keeps for the
/// title of the vertical axis, under the title's lines.
fn title_gap(theme: &Theme) -> i32 {
    line_height(theme, size::TICK) / 2 + theme.px(10.0)
}

/// A bold panel heading, wrapped to `width` pixels: its lines.
pub fn panel_title_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    text: &str,
    width: i32,
) -> Vec<String> {
    wrap(
        area,
        text,
        &theme.bold(size::PANEL_TITLE, palette::TEXT),
        width,
    )
}

/// The height of one line of a panel heading.
pub fn panel_title_height(theme: &Theme) -> i32 {
    line_height(theme, size::PANEL_TITLE)
}

/// Writes a panel heading of one or more lines over the plot of `chart`,
/// left-aligned with the plot, its last line where [`draw_axes`](super::axis::draw_axes) writes the
/// title of the vertical axis. `area` is the area the axes were drawn in,
/// with room above for the extra lines.
pub fn draw_panel_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Plot<DB>,
    theme: &Theme,
    lines: &[String],
) -> Drawn<DB> {
    let style = theme
        .bold(size::PANEL_TITLE, palette::TEXT)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let base = area.get_base_pixel();
    let left = xs.start - base.0;
    let mut bottom = ys.start - base.1 - title_gap(theme);
    for text in lines.iter().rev() {
        area.draw_text(text, &style, (left, bottom))?;
        bottom -= panel_title_height(theme);
    }
    Ok(())
}

/// Writes `text` centred over the plot at data position `x`, in the band
/// that [`draw_axes`](super::axis::draw_axes) keeps above the plot.
pub fn draw_over_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    x: f64,
) -> Drawn<DB> {
    let style = theme
        .annotation_font()
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let base = area.get_base_pixel();
    let (px, _) = chart.backend_coord(&(x, 0.0));
    let width = area
        .estimate_text_size(text, &style)
        .map_or(0, |(w, _)| w as i32);
    // Kept over the plot, whatever the position.
    let centre = px.clamp(
        xs.start + width / 2,
        (xs.end - width / 2).max(xs.start + width / 2),
    );
    area.draw_text(
        text,
        &style,
        (centre - base.0, ys.start - base.1 - title_gap(theme)),
    )
}

/// The width in pixels of `text` in the annotation font.
pub fn annotation_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    text: &str,
) -> i32 {
    area.estimate_text_size(text, &theme.annotation_font())
        .map_or(0, |(w, _)| w as i32)
}

/// Whether an interval is wide enough to show beyond the marker of its
/// estimate: a narrower one would only draw its caps around the marker.
pub fn shows_beside_marker<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    (low, high): (f64, f64),
    y: f64,
) -> bool {
    let (a, _) = chart.backend_coord(&(low, y));
    let (b, _) = chart.backend_coord(&(high, y));
    (b - a).abs() > theme.px(24.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::YearMonth;
    use crate::present::chart::theme::*;
    use crate::present::text::Lang;

    /// Whether `font` maps `c` to a real glyph (not the missing-glyph box).
    fn has_glyph(font: &'static [u8], c: char) -> bool {
        use ab_glyph::Font;
        let face = ab_glyph::FontRef::try_from_slice(font).expect("a valid font");
        face.glyph_id(c).0 != 0
    }

    #[test]
    fn every_chart_character_has_a_glyph_in_both_faces() {
        let july = YearMonth::new(2020, 7).unwrap();
        let mut text = String::new();
        for lang in [Lang::En, Lang::Fr] {
            text += &format!("{:?}", lang.strings());
            for m in 0..12 {
                text += &lang.month(july.plus(m));
            }
            text += &lang.p_target_sentence(
                5000,
                "x",
                &crate::core::stats::Proportion::wilson(1, 9),
                9,
            );
            text += &lang.p_target_sentence(
                5000,
                "x",
                &crate::core::stats::Proportion::wilson(0, 9),
                9,
            );
            text += &lang.source_line("x", "0.1.0", 20000, 1);
            text += &lang.hitting_subtitle(5000, 0.4, 36, None);
            text += &lang.at_or_above_label(5000, "< 0.005%");
            text += &lang.percentile_label(95, 2757);
            text += &lang.last_observation_label("x");
            text += &lang.thousands(1_234_567);
            text += &lang.share(0.123);
            text += &lang.percent_tick(2.5);
            // The analysis charts.
            text += &lang.signed(-0.21, 2);
            text += &lang.signed_jobs(630.0);
            text += &lang.arrow("1", "2");
            text += &lang.param_value("firm[X].happens", 0.0);
            text += &lang.param_value("labour.qualified_share", 0.068);
            text += &lang.param_label("arrivals.firms_per_year");
            text += &lang.per_job(195_842.0);
            text += &lang.per_job_short(200_000.0);
            text += &lang.compare_target_title(5000, "x");
            text += &lang.compare_target_subtitle(5000, "x", Some(0.001));
            text += &lang.cost_subtitle("x", &["y".to_string()], &["z".to_string()]);
            text += lang.cost_chart_omitted();
            text += &lang.tornado_subtitle(300, 2);
            text += &lang.prcc_subtitle(300);
            text += &lang.prim_title(2400, "x");
            text += &lang.chosen_box_label(0.5, 0.8).concat();
            text += &lang.min_coverage_label(0.5);
            text += &crate::present::chart::names::short_name("abcdef", 3);
        }
        text.push('\u{202f}');
        text.push('\u{a0}');
        for (name, font) in [("regular", REGULAR), ("bold", BOLD)] {
            let missing: String = text.chars().filter(|&c| !has_glyph(font, c)).collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
        }
        assert!(!has_glyph(REGULAR, '\u{4e00}'), "the check can fail");
    }

    #[test]
    fn sizes_scale_with_the_smaller_ratio() {
        let slide = Theme::new(1600, 900, Lang::En, String::new());
        assert_eq!(slide.px(10.0), 10);
        let half = Theme::new(800, 900, Lang::En, String::new());
        assert_eq!(half.px(10.0), 5);
        assert_eq!(Theme::new(3200, 1800, Lang::En, String::new()).px(10.0), 20);
    }

    #[test]
    fn options_keep_their_colours_and_the_base_is_grey() {
        assert_eq!(option_colour(0), palette::BASE);
        assert_eq!(option_colour(1), palette::OPTIONS[0]);
        assert_eq!(option_colour(9), palette::OPTIONS[0], "the scheme repeats");
        assert_eq!(option_colour_hex(1), "#332288");
        assert_eq!(option_colour_hex(0), "#6B6B6B");
        // Light colours are darkened for text; dark ones are kept.
        assert_eq!(text_colour(palette::HEADCOUNT), palette::HEADCOUNT);
        let RGBColor(r, g, b) = text_colour(RGBColor(0x88, 0xCC, 0xEE));
        assert!(0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b) <= 130.5);
    }
}
