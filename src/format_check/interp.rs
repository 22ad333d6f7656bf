//! Our own content-stream interpreter, text only: every shown glyph's position and size on its
//! page, with the full transformation (text matrix × `cm` × each enclosing form's `/Matrix`),
//! forms that inherit the resources of whatever draws them (PDF 32000-1 §7.8.3), and fonts read
//! by `font`. Paths, images, shadings and colour are skipped.
//!
//! It never fails on content: unknown operators and bad operands are ignored, a missing font or
//! form is skipped (and noted), form nesting is bounded and cycles are cut. It stops only for the
//! time budget or the character cap ([`Stop`]).

use std::collections::HashMap;
use std::rc::Rc;

use pdf_extract::{Dictionary, Object, ObjectId};

use crate::format_check::extract::{Budget, Glyph, Page};
use crate::format_check::font::Font;
use crate::format_check::lexer::{Arg, Lexer, Operation};
use crate::format_check::reader::Doc;
use crate::format_check::streams::Decoder;

/// Deepest form-in-form nesting followed.
const MAX_DEPTH: usize = 24;
/// Operations between two looks at the clock.
const OPS_PER_CLOCK: u32 = 2048;

/// Why interpretation stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    Time,
    Glyphs,
}

/// A 2-D affine matrix `[a b c d e f]` (row-vector convention, as in PDF).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct M {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
    e: f64,
    f: f64,
}

impl M {
    const ID: M = M {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 1.0,
        e: 0.0,
        f: 0.0,
    };

    fn new(v: [f64; 6]) -> M {
        M {
            a: v[0],
            b: v[1],
            c: v[2],
            d: v[3],
            e: v[4],
            f: v[5],
        }
    }

    fn translate(x: f64, y: f64) -> M {
        M {
            e: x,
            f: y,
            ..M::ID
        }
    }

    /// `self × other`: first `self`, then `other`.
    fn then(&self, o: &M) -> M {
        M {
            a: self.a * o.a + self.b * o.c,
            b: self.a * o.b + self.b * o.d,
            c: self.c * o.a + self.d * o.c,
            d: self.c * o.b + self.d * o.d,
            e: self.e * o.a + self.f * o.c + o.e,
            f: self.e * o.b + self.f * o.d + o.f,
        }
    }

    fn is_finite(&self) -> bool {
        [self.a, self.b, self.c, self.d, self.e, self.f]
            .iter()
            .all(|v| v.is_finite())
    }
}

#[derive(Clone)]
struct State {
    ctm: M,
    font: Option<Rc<Font>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
    rise: f64,
}

impl State {
    fn new(ctm: M) -> Self {
        State {
            ctm,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// Things that were skipped (for the "checked partly" note), counted per document.
#[derive(Debug, Default, Clone)]
pub(crate) struct Skipped {
    /// Forms not drawn because they nest too deeply or draw themselves.
    pub forms: u32,
    /// Font resources that are missing or not dictionaries.
    pub fonts: u32,
}

/// Interprets pages of one document.
pub(crate) struct Interp<'a> {
    doc: &'a Doc<'a>,
    decoder: &'a Decoder,
    budget: Budget,
    fonts: HashMap<ObjectId, Rc<Font>>,
    forms: HashMap<ObjectId, Rc<Vec<u8>>>,
    fallback: Rc<Font>,
    ops: u32,
    glyphs: usize,
    max_glyphs: usize,
    pub skipped: Skipped,
}

fn deref<'a>(doc: &'a Doc, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(&Object::Null),
        other => other,
    }
}

/// `resources[category][name]`, dereferenced, with the id when it is indirect.
fn resource<'a>(
    doc: &'a Doc<'a>,
    resources: &'a Dictionary,
    category: &[u8],
    name: &[u8],
) -> Option<(Option<ObjectId>, &'a Object)> {
    let Object::Dictionary(entries) = deref(doc, resources.get(category).ok()?) else {
        return None;
    };
    let value = entries.get(name).ok()?;
    let id = value.as_reference().ok();
    Some((id, deref(doc, value)))
}

impl<'a> Interp<'a> {
    pub fn new(doc: &'a Doc<'a>, decoder: &'a Decoder, budget: Budget, max_glyphs: usize) -> Self {
        Interp {
            doc,
            decoder,
            budget,
            fonts: HashMap::new(),
            forms: HashMap::new(),
            fallback: Rc::new(Font::fallback()),
            ops: 0,
            glyphs: 0,
            max_glyphs,
            skipped: Skipped::default(),
        }
    }

    /// Interprets one page's content (already decoded) into `page`. `origin` is the top-left
    /// corner of the media box in user space.
    pub fn page(
        &mut self,
        content: &[u8],
        resources: &Dictionary,
        origin: (f64, f64),
        page: &mut Page,
    ) -> Result<(), Stop> {
        let mut forms = Vec::new();
        self.stream(
            content,
            resources,
            State::new(M::ID),
            origin,
            page,
            &mut forms,
        )
    }

    fn stream(
        &mut self,
        content: &[u8],
        resources: &Dictionary,
        mut gs: State,
        origin: (f64, f64),
        page: &mut Page,
        forms: &mut Vec<ObjectId>,
    ) -> Result<(), Stop> {
        let mut stack: Vec<State> = Vec::new();
        let mut tm = M::ID;
        let mut tlm = M::ID;
        let mut lexer = Lexer::new(content);
        let mut op = Operation::default();
        while lexer.next_op(&mut op) {
            self.ops = self.ops.wrapping_add(1);
            if self.ops.is_multiple_of(OPS_PER_CLOCK) && self.budget.expired() {
                return Err(Stop::Time);
            }
            match op.operator.as_slice() {
                b"q" if stack.len() < 256 => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                b"cm" => {
                    if let Some(m) = six(&op) {
                        let next = m.then(&gs.ctm);
                        if next.is_finite() {
                            gs.ctm = next;
                        }
                    }
                }
                b"BT" => {
                    tm = M::ID;
                    tlm = M::ID;
                }
                b"Tf" => {
                    if let Some(size) = op.num(1) {
                        gs.size = size;
                    }
                    let name = match op.args.first() {
                        Some(Arg::Name(s, e)) => op.slice(*s, *e).to_vec(),
                        _ => Vec::new(),
                    };
                    gs.font = Some(self.font(resources, &name));
                }
                b"Tc" => gs.char_spacing = op.num(0).unwrap_or(0.0),
                b"Tw" => gs.word_spacing = op.num(0).unwrap_or(0.0),
                b"Tz" => gs.hscale = op.num(0).unwrap_or(100.0) / 100.0,
                b"TL" => gs.leading = op.num(0).unwrap_or(0.0),
                b"Ts" => gs.rise = op.num(0).unwrap_or(0.0),
                b"Tm" => {
                    if let Some(m) = six(&op) {
                        tm = m;
                        tlm = m;
                    }
                }
                b"Td" | b"TD" => {
                    let (Some(x), Some(y)) = (op.num(0), op.num(1)) else {
                        continue;
                    };
                    if op.operator == b"TD" {
                        gs.leading = -y;
                    }
                    tlm = M::translate(x, y).then(&tlm);
                    tm = tlm;
                }
                b"T*" => {
                    tlm = M::translate(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op.operator == b"\"" {
                        gs.word_spacing = op.num(0).unwrap_or(gs.word_spacing);
                        gs.char_spacing = op.num(1).unwrap_or(gs.char_spacing);
                    }
                    if op.operator != b"Tj" {
                        tlm = M::translate(0.0, -gs.leading).then(&tlm);
                        tm = tlm;
                    }
                    if let Some(&Arg::Str(s, e)) = op.args.last() {
                        self.show(&gs, &mut tm, op.slice(s, e), origin, page)?;
                    }
                }
                b"TJ" => {
                    let Some(Arg::Array(s, e)) = op.args.first() else {
                        continue;
                    };
                    for item in op.elements(*s, *e) {
                        match *item {
                            Arg::Str(s, e) => {
                                self.show(&gs, &mut tm, op.slice(s, e), origin, page)?;
                            }
                            Arg::Num(n) if n.is_finite() => {
                                let tx = -n / 1000.0 * gs.size * gs.hscale;
                                tm = M::translate(tx, 0.0).then(&tm);
                            }
                            _ => {}
                        }
                    }
                }
                b"Do" => {
                    if let Some(name) = op.name().map(<[u8]>::to_vec) {
                        self.draw(&name, resources, &gs, origin, page, forms)?;
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn font(&mut self, resources: &Dictionary, name: &[u8]) -> Rc<Font> {
        let Some((id, Object::Dictionary(dict))) = resource(self.doc, resources, b"Font", name)
        else {
            self.skipped.fonts += 1;
            return Rc::clone(&self.fallback);
        };
        if let Some(id) = id
            && let Some(font) = self.fonts.get(&id)
        {
            return Rc::clone(font);
        }
        let font = Rc::new(Font::load(self.doc, self.decoder, dict));
        if let Some(id) = id {
            self.fonts.insert(id, Rc::clone(&font));
        }
        font
    }

    fn show(
        &mut self,
        gs: &State,
        tm: &mut M,
        bytes: &[u8],
        origin: (f64, f64),
        page: &mut Page,
    ) -> Result<(), Stop> {
        let font = gs.font.clone().unwrap_or_else(|| Rc::clone(&self.fallback));
        if font.is_composite() {
            for (code, len) in font.codes(bytes) {
                self.place(gs, &font, tm, code, len, origin, page)?;
            }
        } else {
            // A simple font's codes are its bytes.
            for &byte in bytes {
                self.place(gs, &font, tm, u32::from(byte), 1, origin, page)?;
            }
        }
        Ok(())
    }

    /// Places one glyph and advances the text matrix past it.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn place(
        &mut self,
        gs: &State,
        font: &Font,
        tm: &mut M,
        code: u32,
        len: usize,
        origin: (f64, f64),
        page: &mut Page,
    ) -> Result<(), Stop> {
        let w0 = font.width(code);
        // Text space to device space: [hscale 0 0 1 0 rise] × tm × ctm, the first product
        // written out (its zero terms add nothing).
        let trm = M {
            a: gs.hscale * tm.a,
            b: gs.hscale * tm.b,
            c: tm.c,
            d: tm.d,
            e: gs.rise * tm.c + tm.e,
            f: gs.rise * tm.d + tm.f,
        }
        .then(&gs.ctm);
        self.glyph(
            &trm,
            w0,
            gs.size * font.scale,
            font.text(code),
            origin,
            page,
        )?;
        let mut spacing = gs.char_spacing;
        if len == 1 && code == 32 {
            spacing += gs.word_spacing;
        }
        let tx = (w0 * gs.size + spacing) * gs.hscale;
        // [1 0 0 1 tx 0] × tm: only the translation moves.
        tm.e += tx * tm.a;
        tm.f += tx * tm.b;
        Ok(())
    }

    fn glyph(
        &mut self,
        trm: &M,
        w0: f64,
        font_size: f64,
        text: &str,
        origin: (f64, f64),
        page: &mut Page,
    ) -> Result<(), Stop> {
        self.glyphs += 1;
        if self.glyphs > self.max_glyphs {
            return Err(Stop::Glyphs);
        }
        let det = trm.a * trm.d - trm.b * trm.c;
        let scale = det.abs().sqrt();
        let size = font_size.abs() * scale;
        let x = trm.e - origin.0;
        let y = origin.1 - trm.f;
        let x_end = x + w0 * size;
        if !(size.is_finite() && x.is_finite() && y.is_finite() && x_end.is_finite()) {
            return Ok(());
        }
        let tiny = 0.05 * scale.max(f64::MIN_POSITIVE);
        let upright = trm.b.abs() < tiny && trm.c.abs() < tiny && trm.a > 0.0 && trm.d > 0.0;
        let text = if text.len() > 32 { "" } else { text };
        let start = u32::try_from(page.text.len()).unwrap_or(u32::MAX);
        match *text.as_bytes() {
            // One byte of UTF-8 is ASCII: no copy call for the common case.
            [byte] => page.text.push(char::from(byte)),
            _ => page.text.push_str(text),
        }
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

    /// `Do`: draws a form XObject with its matrix, inheriting `resources` when it has none.
    fn draw(
        &mut self,
        name: &[u8],
        resources: &Dictionary,
        gs: &State,
        origin: (f64, f64),
        page: &mut Page,
        forms: &mut Vec<ObjectId>,
    ) -> Result<(), Stop> {
        let doc = self.doc;
        let Some((id, Object::Stream(stream))) = resource(doc, resources, b"XObject", name) else {
            return Ok(());
        };
        if !matches!(stream.dict.get(b"Subtype"), Ok(Object::Name(n)) if n == b"Form") {
            return Ok(());
        }
        if forms.len() >= MAX_DEPTH || id.is_some_and(|id| forms.contains(&id)) {
            self.skipped.forms += 1;
            return Ok(());
        }
        let matrix = match stream.dict.get(b"Matrix").map(|m| deref(doc, m)) {
            Ok(Object::Array(items)) if items.len() == 6 => {
                let mut v = [0.0; 6];
                for (slot, item) in v.iter_mut().zip(items) {
                    *slot = match deref(doc, item) {
                        Object::Integer(i) => *i as f64,
                        Object::Real(r) => f64::from(*r),
                        _ => 0.0,
                    };
                }
                M::new(v)
            }
            _ => M::ID,
        };
        let own = match stream.dict.get(b"Resources").map(|r| deref(doc, r)) {
            Ok(Object::Dictionary(d)) => d,
            _ => resources,
        };
        let content = match id.and_then(|id| self.forms.get(&id)) {
            Some(c) => Rc::clone(c),
            None => {
                let decoded = Rc::new(self.decoder.decode(stream).unwrap_or_default());
                if let Some(id) = id {
                    self.forms.insert(id, Rc::clone(&decoded));
                }
                decoded
            }
        };
        let ctm = matrix.then(&gs.ctm);
        if !ctm.is_finite() {
            return Ok(());
        }
        if let Some(id) = id {
            forms.push(id);
        }
        let inner = State { ctm, ..gs.clone() };
        let result = self.stream(&content, own, inner, origin, page, forms);
        if id.is_some() {
            forms.pop();
        }
        result
    }
}

fn six(op: &Operation) -> Option<M> {
    let mut v = [0.0; 6];
    for (i, slot) in v.iter_mut().enumerate() {
        *slot = op.num(i)?;
    }
    Some(M::new(v))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn matrices_compose_in_pdf_order() {
        let scale = M::new([2.0, 0.0, 0.0, 2.0, 0.0, 0.0]);
        let shift = M::translate(10.0, 5.0);
        let p = shift.then(&scale);
        assert_eq!((p.e, p.f), (20.0, 10.0));
        let q = scale.then(&shift);
        assert_eq!((q.e, q.f), (10.0, 5.0));
    }
}
