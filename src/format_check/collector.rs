//! pdf-extract's callback sink: records every character with its position and effective size,
//! assigns it to its page (also when the whole document is drawn as one merged page, see
//! `merge`), and enforces the character cap and the cooperative time budget.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use crate::format_check::extract::{Budget, ExtractError, Glyph, Page};
use crate::format_check::merge::{PAGE_STRIDE, Rect};

/// Collects characters through pdf-extract's callback interface.
pub(crate) struct Collector {
    pub pages: Vec<Page>,
    current: Option<Page>,
    /// Media boxes of all pages when the document is drawn as one merged page.
    pub merged: Option<Vec<Rect>>,
    budget: Budget,
    max_glyphs: usize,
    glyph_count: usize,
    ticks: u32,
    pub stop: Option<ExtractError>,
    /// Top-left corner of the current page's media box, in PDF user space.
    origin: (f64, f64),
}

impl Collector {
    /// An empty collector for a document of `pages` pages.
    pub fn new(budget: Budget, max_glyphs: usize, pages: usize) -> Self {
        Collector {
            pages: Vec::with_capacity(pages),
            current: None,
            merged: None,
            budget,
            max_glyphs,
            glyph_count: 0,
            ticks: 0,
            stop: None,
            origin: (0.0, 0.0),
        }
    }

    /// Forgets everything collected (before a page-by-page retry).
    pub fn reset(&mut self) {
        self.pages.clear();
        self.current = None;
        self.merged = None;
        self.glyph_count = 0;
    }

    /// Forgets the characters of a merged run but keeps the page boxes (before pdf-extract
    /// redoes the run that the fast interpreter gave up on).
    pub fn restart(&mut self) {
        self.pages.clear();
        self.current = None;
        self.glyph_count = 0;
    }

    /// The check's time budget.
    pub(crate) fn budget(&self) -> Budget {
        self.budget
    }

    /// Records that the time budget ran out (for callers outside pdf-extract's callbacks).
    pub(crate) fn stop_for_time(&mut self) {
        self.stop = Some(ExtractError::TooComplex("time budget".into()));
    }

    fn halt(&mut self, why: ExtractError) -> OutputError {
        self.stop = Some(why);
        OutputError::IoError(std::io::Error::other("format check stopped"))
    }

    /// Counts one unit of work and checks the time budget every 256 units.
    pub(crate) fn tick(&mut self) -> Result<(), OutputError> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks.is_multiple_of(256) && self.budget.expired() {
            return Err(self.halt(ExtractError::TooComplex("time budget".into())));
        }
        Ok(())
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        if self.budget.expired() {
            return Err(self.halt(ExtractError::TooComplex("time budget".into())));
        }
        if let Some(boxes) = &self.merged {
            self.pages = boxes.iter().map(|b| blank_page(*b)).collect();
            return Ok(());
        }
        let width = (media_box.urx - media_box.llx).abs();
        let height = (media_box.ury - media_box.lly).abs();
        self.current = Some(Page {
            width: if width.is_finite() { width } else { 0.0 },
            height: if height.is_finite() { height } else { 0.0 },
            glyphs: Vec::with_capacity(4096),
            text: String::with_capacity(4096),
        });
        // Remember the origin so glyph positions are relative to the page's top-left corner.
        self.origin = (
            media_box.llx.min(media_box.urx),
            media_box.lly.max(media_box.ury),
        );
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        if let Some(page) = self.current.take() {
            self.pages.push(page);
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.tick()?;
        self.glyph_count += 1;
        if self.glyph_count > self.max_glyphs {
            return Err(self.halt(ExtractError::TooComplex("too many characters".into())));
        }
        let det = trm.m11 * trm.m22 - trm.m12 * trm.m21;
        let size = font_size.abs() * det.abs().sqrt();
        let (page_index, (ox, oy)) = match &self.merged {
            Some(boxes) => {
                let shift = (-trm.m32 / PAGE_STRIDE + 0.5).floor();
                let index = if shift.is_finite() && shift >= 0.0 {
                    (shift as usize).min(boxes.len().saturating_sub(1))
                } else {
                    0
                };
                let b = boxes.get(index).copied().unwrap_or_default();
                (
                    Some(index),
                    (b.0.min(b.2), b.1.max(b.3) - index as f64 * PAGE_STRIDE),
                )
            }
            None => (None, self.origin),
        };
        let x = trm.m31 - ox;
        let y = oy - trm.m32;
        let x_end = x + width * size;
        if !(size.is_finite() && x.is_finite() && y.is_finite() && x_end.is_finite()) {
            return Ok(());
        }
        let scale = det.abs().sqrt().max(f64::MIN_POSITIVE);
        let upright = trm.m12.abs() < 0.05 * scale
            && trm.m21.abs() < 0.05 * scale
            && trm.m11 > 0.0
            && trm.m22 > 0.0;
        let page = match page_index {
            Some(index) => self.pages.get_mut(index),
            None => self.current.as_mut(),
        };
        let Some(page) = page else {
            return Ok(());
        };
        let text = if char.len() > 32 { "" } else { char };
        let start = u32::try_from(page.text.len()).unwrap_or(u32::MAX);
        page.text.push_str(text);
        page.glyphs.push(Glyph {
            x: x as f32,
            y: y as f32,
            x_end: x_end as f32,
            size: size as f32,
            upright,
            start,
            len: text.len() as u16,
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        _ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        _path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        self.tick()
    }

    fn fill(
        &mut self,
        _ctm: &Transform,
        _colorspace: &pdf_extract::ColorSpace,
        _color: &[f64],
        _path: &pdf_extract::Path,
    ) -> Result<(), OutputError> {
        self.tick()
    }
}

fn blank_page(b: Rect) -> Page {
    let width = (b.2 - b.0).abs();
    let height = (b.3 - b.1).abs();
    Page {
        width: if width.is_finite() { width } else { 0.0 },
        height: if height.is_finite() { height } else { 0.0 },
        glyphs: Vec::with_capacity(4096),
        text: String::with_capacity(4096),
    }
}
