//! Text measured and rasterised with the bundled fonts, as a wrapper around a
//! plotters backend.
//!
//! plotters' own ab_glyph text drawing places every glyph's ink box at the pen
//! position, ignoring the glyph's left side bearing, so letters such as "J",
//! "j" or "i" drift off their place ("Ou jda", "i nterval"). [`Typeset`] lays
//! text out properly (advances, kerning and bearings) and, on bitmaps, draws the
//! glyphs itself; on SVG it leaves the drawing to the backend (the viewer
//! renders the text) and only supplies the measurements. Both use the sizes the
//! SVG backend writes (`font-size` = size / 1.24) and its vertical anchors, so a
//! chart's PNG and SVG agree.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale, PxScaleFont, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};

use super::theme::{BOLD, REGULAR};

/// The em size of text of plotters size `size`, as the SVG backend writes it.
fn em(size: f64) -> f32 {
    (size / 1.24) as f32
}

/// The baseline sits this many ems below a top anchor (the SVG backend's `dy`).
const TOP_TO_BASELINE: f32 = 0.76;
/// Half the x-height of Noto Sans, in ems: the SVG backend's `0.5ex`, which it
/// uses to centre text (and, negated, to sit text on a bottom anchor).
const HALF_X_HEIGHT: f32 = 0.268;

fn faces() -> &'static [FontRef<'static>; 2] {
    static FACES: OnceLock<[FontRef<'static>; 2]> = OnceLock::new();
    FACES.get_or_init(|| {
        [REGULAR, BOLD].map(|bytes| {
            FontRef::try_from_slice(bytes).expect("the bundled Noto Sans font is valid")
        })
    })
}

/// The bundled face of a text style, scaled to its size.
fn scaled<S: BackendTextStyle>(style: &S) -> PxScaleFont<&'static FontRef<'static>> {
    let face = &faces()[usize::from(matches!(style.style(), plotters_backend::FontStyle::Bold))];
    let units = face.units_per_em().unwrap_or(1000.0);
    face.as_scaled(PxScale::from(
        em(style.size()) * face.height_unscaled() / units,
    ))
}

/// The pen positions of each glyph of `text`, and the total advance.
fn layout(font: &PxScaleFont<&FontRef>, text: &str) -> (Vec<(GlyphId, f32)>, f32) {
    let mut pen = 0.0;
    let mut previous = None;
    let glyphs = text
        .chars()
        .map(|c| {
            let id = font.glyph_id(c);
            if let Some(p) = previous {
                pen += font.kern(p, id);
            }
            let at = pen;
            pen += font.h_advance(id);
            previous = Some(id);
            (id, at)
        })
        .collect();
    (glyphs, pen)
}

/// A plotters backend whose text is measured, and on bitmaps drawn, with the
/// bundled fonts.
pub struct Typeset<B> {
    inner: B,
    raster: bool,
}

impl<B: DrawingBackend> Typeset<B> {
    /// Wraps a bitmap backend: text is drawn glyph by glyph.
    pub fn raster(inner: B) -> Typeset<B> {
        Typeset {
            inner,
            raster: true,
        }
    }

    /// Wraps a vector backend: text is written as text, only measured here.
    pub fn vector(inner: B) -> Typeset<B> {
        Typeset {
            inner,
            raster: false,
        }
    }
}

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (w, h): (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.blit_bitmap(pos, (w, h), src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        let font = scaled(style);
        let (_, width) = layout(&font, &drawable(text));
        Ok((width.ceil() as u32, em(style.size()).ceil() as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let text = &drawable(text);
        let color = style.color();
        // Vector backends write text as text; no chart rotates text, but should
        // one, plotters' own drawing handles the rotation.
        if !self.raster || !matches!(style.transform(), FontTransform::None) || color.alpha == 0.0 {
            return self.inner.draw_text(text, style, pos);
        }
        let font = scaled(style);
        let size = em(style.size());
        let (glyphs, width) = layout(&font, text);
        let left = pos.0 as f32
            - match style.anchor().h_pos {
                HPos::Left => 0.0,
                HPos::Center => width / 2.0,
                HPos::Right => width,
            };
        let baseline = pos.1 as f32
            + size
                * match style.anchor().v_pos {
                    VPos::Top => TOP_TO_BASELINE,
                    VPos::Center => HALF_X_HEIGHT,
                    VPos::Bottom => -HALF_X_HEIGHT,
                };
        let (w, h) = self.inner.get_size();
        let mut result = Ok(());
        for (id, at) in glyphs {
            let glyph = id.with_scale_and_position(font.scale(), point(left + at, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|x, y, coverage| {
                let (px, py) = (
                    bounds.min.x as i32 + x as i32,
                    bounds.min.y as i32 + y as i32,
                );
                if result.is_ok()
                    && coverage > 0.0
                    && (0..w as i32).contains(&px)
                    && (0..h as i32).contains(&py)
                {
                    result = self.inner.draw_pixel(
                        (px, py),
                        BackendColor {
                            alpha: color.alpha * f64::from(coverage.min(1.0)),
                            rgb: color.rgb,
                        },
                    );
                }
            });
        }
        result
    }
}

/// `text` without control characters: they have no glyph, and XML (so an SVG
/// file) forbids them.
fn drawable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}
