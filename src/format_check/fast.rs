//! The third speed-up: our own text-only content-stream interpreter for the merged page (see
//! `merge`), replacing pdf-extract's `Processor` (no String per glyph, no path objects).
//!
//! It reproduces pdf-extract 0.12.1's interpretation exactly, quirks included: the content
//! grammar of lopdf's `Content::decode` (mirrored without allocations in `lexer`), the same
//! `Transform` arithmetic, `'` and `"` ignored, form XObjects drawn
//! with a fresh graphics state, fonts cached by resource name. What a font makes of each
//! character code (advance width and text) is not re-implemented: `probe` asks pdf-extract
//! itself, once per used code. Whenever the input is anything pdf-extract would fail or panic
//! on (or that we do not model, such as composite fonts), the interpreter gives up with
//! [`Fast::Unsupported`] and the caller runs pdf-extract as before, so results never change.

use std::collections::HashMap;
use std::rc::Rc;

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{Document, Object, ObjectId, OutputDev, Transform};

use crate::format_check::collector::Collector;
use crate::format_check::extract::Budget;
use crate::format_check::lexer::{Arg, Ops};
use crate::format_check::operands::{
    Halt, PathEnd, State, Step, adjust, decode, deref, ext_gstate, get_dict, name, num, nums,
    stream_bytes,
};
use crate::format_check::probe::{FontTable, ProbePlan, run_probe};

/// The outcome of the fast path.
pub(crate) enum Fast {
    /// Every page was extracted into the collector.
    Done,
    /// The collector stopped (budget or character cap); its `stop` says why.
    Stopped,
    /// Not handled here: run pdf-extract instead (the collector must be restarted).
    Unsupported,
}

/// Deepest form XObject nesting we follow (cycles are rejected earlier, see `xobjects`).
const MAX_DEPTH: usize = 32;

/// Operations between two looks at the clock.
const OPS_PER_BUDGET_CHECK: u32 = 4096;

/// Runs the merged first page `first_id` through our interpreter into `collector`; a panic
/// (none is known) counts as unsupported, so pdf-extract and its own guards take over.
pub(crate) fn run_fast(
    doc: &mut Document,
    first_id: ObjectId,
    first_number: u32,
    collector: &mut Collector,
) -> Fast {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        fast_inner(doc, first_id, first_number, collector)
    }));
    match outcome {
        Ok(Err(Halt::Stopped)) => {
            if collector.stop.is_none() {
                collector.stop_for_time();
            }
            Fast::Stopped
        }
        Ok(Err(Halt::Unsupported)) | Err(_) => Fast::Unsupported,
        Ok(Ok(())) => Fast::Done,
    }
}

fn fast_inner(
    doc: &mut Document,
    first_id: ObjectId,
    first_number: u32,
    collector: &mut Collector,
) -> Step {
    let mut interp = Interp {
        budget: Some(collector.budget()),
        ..Interp::default()
    };
    interp.page(doc, first_id, None)?;
    let plan = interp.plan();
    interp.tables = run_probe(doc, first_id, first_number, &plan).ok_or(Halt::Unsupported)?;
    let media = pdf_extract::MediaBox {
        llx: 0.0,
        lly: 0.0,
        urx: 0.0,
        ury: 0.0,
    };
    collector
        .begin_page(first_number, &media, None)
        .map_err(|_| Halt::Stopped)?;
    interp.page(doc, first_id, Some(collector))
}

#[derive(Default)]
struct Interp {
    /// Font resource names in first-use order, their font objects and used codes.
    fonts: Vec<(Vec<u8>, Object, [bool; 256])>,
    font_index: HashMap<Vec<u8>, usize>,
    /// Named colour spaces used by `cs`/`CS`, with the object they resolve to.
    colorspaces: Vec<(Vec<u8>, Object)>,
    /// Decoded form XObject contents.
    forms: HashMap<ObjectId, Rc<Ops>>,
    page_content: Option<Rc<Ops>>,
    /// Per font: (advance width / 1000, text) of each code, filled by the probe.
    tables: Vec<FontTable>,
    /// The check's time budget, looked at every [`OPS_PER_BUDGET_CHECK`] operations.
    budget: Option<Budget>,
    ops_done: u32,
}

impl Interp {
    fn plan(&self) -> ProbePlan {
        ProbePlan {
            fonts: self.fonts.clone(),
            colorspaces: self.colorspaces.clone(),
        }
    }

    /// Interprets the page; without a collector only records fonts, codes and colour spaces.
    fn page(&mut self, doc: &Document, page_id: ObjectId, mut out: Option<&mut Collector>) -> Step {
        let page = doc.get_dictionary(page_id).map_err(|_| Halt::Unsupported)?;
        let resources = match page.get(b"Resources") {
            Ok(r) => deref(doc, r)?.as_dict().map_err(|_| Halt::Unsupported)?,
            Err(_) => return Err(Halt::Unsupported),
        };
        let content = match &self.page_content {
            Some(c) => Rc::clone(c),
            None => {
                let bytes = doc
                    .get_page_content(page_id)
                    .map_err(|_| Halt::Unsupported)?;
                let c = decode(&bytes)?;
                self.page_content = Some(Rc::clone(&c));
                c
            }
        };
        self.stream(doc, &content, resources, &mut out, 0)
    }

    fn stream(
        &mut self,
        doc: &Document,
        content: &Ops,
        resources: &pdf_extract::Dictionary,
        out: &mut Option<&mut Collector>,
        depth: usize,
    ) -> Step {
        if depth > MAX_DEPTH {
            return Err(Halt::Unsupported);
        }
        let mut gs = State::new();
        let mut stack: Vec<State> = Vec::new();
        let mut tlm = Transform::identity();
        let mut path = PathEnd::Empty;
        for op in &content.ops {
            self.ops_done = self.ops_done.wrapping_add(1);
            if self.ops_done.is_multiple_of(OPS_PER_BUDGET_CHECK)
                && self.budget.is_some_and(|b| b.expired())
            {
                return Err(Halt::Stopped);
            }
            let ops = content.operands(op);
            match op.operator.as_slice() {
                b"BT" | b"ET" => {
                    tlm = Transform::identity();
                    gs.tm = tlm;
                }
                b"cm" => {
                    if ops.len() != 6 {
                        return Err(Halt::Unsupported);
                    }
                    let [a, b, c, d, e, f] = nums::<6>(ops)?;
                    gs.ctm = gs
                        .ctm
                        .pre_transform(&Transform::row_major(a, b, c, d, e, f));
                }
                b"CS" | b"cs" => self.colorspace(doc, name(content, ops)?, resources)?,
                b"SC" | b"SCN" | b"sc" | b"scn" => {
                    for i in 0..ops.len() {
                        num(ops, i)?;
                    }
                }
                b"TJ" => match ops.first() {
                    Some(Arg::Array(s, e)) => {
                        for item in content.elements(*s, *e) {
                            match item {
                                Arg::Str(s, e) => self.show(&mut gs, content.slice(*s, *e), out)?,
                                Arg::Num(v) => adjust(&mut gs, *v),
                                _ => {}
                            }
                        }
                    }
                    Some(_) => {}
                    None => return Err(Halt::Unsupported),
                },
                b"Tj" => match ops.first() {
                    Some(Arg::Str(s, e)) => self.show(&mut gs, content.slice(*s, *e), out)?,
                    _ => return Err(Halt::Unsupported),
                },
                b"Tc" => gs.char_spacing = num(ops, 0)?,
                b"Tw" => gs.word_spacing = num(ops, 0)?,
                b"Tz" => gs.hscale = num(ops, 0)? / 100.,
                b"TL" => gs.leading = num(ops, 0)?,
                b"Tf" => {
                    let fonts = get_dict(doc, resources, b"Font")?;
                    let font_name = name(content, ops)?;
                    gs.font = Some(self.font(doc, fonts, font_name)?);
                    gs.font_size = num(ops, 1)?;
                }
                b"Ts" => gs.rise = num(ops, 0)?,
                b"Tm" => {
                    if ops.len() != 6 {
                        return Err(Halt::Unsupported);
                    }
                    let [a, b, c, d, e, f] = nums::<6>(ops)?;
                    tlm = Transform::row_major(a, b, c, d, e, f);
                    gs.tm = tlm;
                }
                b"Td" | b"TD" => {
                    if ops.len() != 2 {
                        return Err(Halt::Unsupported);
                    }
                    let [tx, ty] = nums::<2>(ops)?;
                    if op.operator == b"TD" {
                        gs.leading = -ty;
                    }
                    tlm = tlm.pre_transform(&Transform::create_translation(tx, ty));
                    gs.tm = tlm;
                }
                b"T*" => {
                    let ty = -gs.leading;
                    tlm = tlm.pre_transform(&Transform::create_translation(0.0, ty));
                    gs.tm = tlm;
                }
                b"q" => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(saved) = stack.pop() {
                        gs = saved;
                    }
                }
                b"gs" => ext_gstate(doc, name(content, ops)?, resources)?,
                b"w" => {
                    num(ops, 0)?;
                }
                b"m" | b"l" => {
                    nums::<2>(ops)?;
                    path = PathEnd::Point;
                }
                b"c" => {
                    nums::<6>(ops)?;
                    path = PathEnd::Point;
                }
                b"v" => {
                    if path != PathEnd::Point {
                        return Err(Halt::Unsupported);
                    }
                    nums::<4>(ops)?;
                }
                b"y" => {
                    nums::<4>(ops)?;
                    path = PathEnd::Point;
                }
                b"h" => path = PathEnd::Other,
                b"re" => {
                    nums::<4>(ops)?;
                    path = PathEnd::Other;
                }
                b"S" | b"F" | b"f" => {
                    if let Some(c) = out.as_deref_mut() {
                        c.tick().map_err(|_| Halt::Stopped)?;
                    }
                    path = PathEnd::Empty;
                }
                b"n" => path = PathEnd::Empty,
                b"Do" => self.draw_form(doc, name(content, ops)?, resources, out, depth)?,
                _ => {}
            }
        }
        Ok(())
    }

    fn colorspace(
        &mut self,
        doc: &Document,
        cs: &[u8],
        resources: &pdf_extract::Dictionary,
    ) -> Step {
        if matches!(
            cs,
            b"DeviceGray" | b"DeviceRGB" | b"DeviceCMYK" | b"Pattern"
        ) {
            return Ok(());
        }
        let spaces = get_dict(doc, resources, b"ColorSpace")?;
        let value = deref(doc, spaces.get(cs).map_err(|_| Halt::Unsupported)?)?;
        match self.colorspaces.iter().find(|(n, _)| n == cs) {
            Some((_, seen)) if seen == value => Ok(()),
            Some(_) => Err(Halt::Unsupported),
            None => {
                self.colorspaces.push((cs.to_vec(), value.clone()));
                Ok(())
            }
        }
    }

    /// `Tf`: pdf-extract caches fonts by resource name, the first resolution wins.
    fn font(
        &mut self,
        doc: &Document,
        fonts: &pdf_extract::Dictionary,
        font_name: &[u8],
    ) -> Result<usize, Halt> {
        if let Some(&index) = self.font_index.get(font_name) {
            return Ok(index);
        }
        let value = fonts.get(font_name).map_err(|_| Halt::Unsupported)?;
        let dict = deref(doc, value)?
            .as_dict()
            .map_err(|_| Halt::Unsupported)?;
        let subtype = dict.get(b"Subtype").ok().map(|s| deref(doc, s));
        if let Some(Ok(Object::Name(s))) = subtype
            && s == b"Type0"
        {
            return Err(Halt::Unsupported);
        }
        let index = self.fonts.len();
        self.fonts
            .push((font_name.to_vec(), value.clone(), [false; 256]));
        self.font_index.insert(font_name.to_vec(), index);
        Ok(index)
    }

    fn show(&mut self, gs: &mut State, s: &[u8], out: &mut Option<&mut Collector>) -> Step {
        let font = gs.font.ok_or(Halt::Unsupported)?;
        let Some(collector) = out.as_deref_mut() else {
            if let Some((_, _, used)) = self.fonts.get_mut(font) {
                for &c in s {
                    used[usize::from(c)] = true;
                }
            }
            return Ok(());
        };
        let table = self.tables.get(font).ok_or(Halt::Unsupported)?;
        for &c in s {
            let Some((w0, text)) = table.get(usize::from(c)).and_then(Option::as_ref) else {
                return Err(Halt::Unsupported);
            };
            let w0 = *w0;
            let tsm = Transform::row_major(gs.hscale, 0., 0., 1.0, 0., gs.rise);
            let trm = tsm.post_transform(&gs.tm.post_transform(&gs.ctm));
            let mut spacing = gs.char_spacing;
            if c == 32 {
                spacing += gs.word_spacing;
            }
            collector
                .output_character(&trm, w0, spacing, gs.font_size, text)
                .map_err(|_| Halt::Stopped)?;
            let tj = 0.;
            let tx = gs.hscale * ((w0 - tj / 1000.) * gs.font_size + spacing);
            gs.tm = gs.tm.pre_transform(&Transform::create_translation(tx, 0.));
        }
        Ok(())
    }

    fn draw_form(
        &mut self,
        doc: &Document,
        xname: &[u8],
        resources: &pdf_extract::Dictionary,
        out: &mut Option<&mut Collector>,
        depth: usize,
    ) -> Step {
        let xobjects = get_dict(doc, resources, b"XObject")?;
        let entry = xobjects.get(xname).map_err(|_| Halt::Unsupported)?;
        let stream = deref(doc, entry)?
            .as_stream()
            .map_err(|_| Halt::Unsupported)?;
        let form_resources = match stream.dict.get(b"Resources") {
            Ok(r) => deref(doc, r)?.as_dict().unwrap_or(resources),
            Err(_) => resources,
        };
        let content = match entry {
            Object::Reference(id) => match self.forms.get(id) {
                Some(c) => Rc::clone(c),
                None => {
                    let c = decode(&stream_bytes(stream))?;
                    self.forms.insert(*id, Rc::clone(&c));
                    c
                }
            },
            _ => decode(&stream_bytes(stream))?,
        };
        self.stream(doc, &content, form_resources, out, depth + 1)
    }
}
