//! Graphics state, operand and resource helpers of the fast interpreter (`fast`): each mirrors what
//! pdf-extract 0.12.1 does with an operand or a resource lookup, and returns
//! [`Halt::Unsupported`] exactly where pdf-extract would panic or fail, so that the caller can
//! hand the document to pdf-extract instead.

use std::rc::Rc;

use pdf_extract::{Document, Object, Stream, Transform};

use crate::format_check::lexer::{Arg, Ops, tokenize};

/// Why interpretation ended early.
pub(crate) enum Halt {
    Unsupported,
    Stopped,
}

pub(crate) type Step = Result<(), Halt>;

pub(crate) fn num(operands: &[Arg], i: usize) -> Result<f64, Halt> {
    match operands.get(i) {
        Some(Arg::Num(v)) => Ok(*v),
        _ => Err(Halt::Unsupported),
    }
}

pub(crate) fn nums<const N: usize>(operands: &[Arg]) -> Result<[f64; N], Halt> {
    let mut out = [0.0; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = num(operands, i)?;
    }
    Ok(out)
}

pub(crate) fn name<'a>(content: &'a Ops, operands: &[Arg]) -> Result<&'a [u8], Halt> {
    match operands.first() {
        Some(Arg::Name(s, e)) => Ok(content.slice(*s, *e)),
        _ => Err(Halt::Unsupported),
    }
}

/// pdf-extract's `maybe_deref`, which panics on a dangling reference.
pub(crate) fn deref<'a>(doc: &'a Document, object: &'a Object) -> Result<&'a Object, Halt> {
    match object {
        Object::Reference(id) => doc.get_object(*id).map_err(|_| Halt::Unsupported),
        other => Ok(other),
    }
}

/// pdf-extract's `get::<&Dictionary>`: a required dictionary entry.
pub(crate) fn get_dict<'a>(
    doc: &'a Document,
    dict: &'a pdf_extract::Dictionary,
    key: &[u8],
) -> Result<&'a pdf_extract::Dictionary, Halt> {
    let value = dict.get(key).map_err(|_| Halt::Unsupported)?;
    deref(doc, value)?.as_dict().map_err(|_| Halt::Unsupported)
}

pub(crate) fn decode(bytes: &[u8]) -> Result<Rc<Ops>, Halt> {
    tokenize(bytes).map(Rc::new).ok_or(Halt::Unsupported)
}

/// pdf-extract's `get_contents`.
pub(crate) fn stream_bytes(stream: &Stream) -> Vec<u8> {
    if stream.filters().is_ok() {
        stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone())
    } else {
        stream.content.clone()
    }
}

/// `gs`: pdf-extract's `apply_state` panics on some entries; give up where it would.
pub(crate) fn ext_gstate(
    doc: &Document,
    state_name: &[u8],
    resources: &pdf_extract::Dictionary,
) -> Step {
    let states = get_dict(doc, resources, b"ExtGState")?;
    let state = get_dict(doc, states, state_name)?;
    for (key, value) in state.iter() {
        match key.as_slice() {
            b"SMask" => match deref(doc, value)? {
                Object::Name(n) if n == b"None" => {}
                Object::Dictionary(_) => {}
                _ => return Err(Halt::Unsupported),
            },
            b"Type" => match value {
                Object::Name(n) if n == b"ExtGState" => {}
                _ => return Err(Halt::Unsupported),
            },
            _ => {}
        }
    }
    Ok(())
}

/// Text state and graphics state, as pdf-extract keeps them.
#[derive(Clone)]
pub(crate) struct State {
    pub ctm: Transform,
    pub font: Option<usize>,
    pub font_size: f64,
    pub char_spacing: f64,
    pub word_spacing: f64,
    pub hscale: f64,
    pub leading: f64,
    pub rise: f64,
    pub tm: Transform,
}

impl State {
    pub(crate) fn new() -> Self {
        State {
            ctm: Transform::identity(),
            font: None,
            font_size: f64::NAN,
            char_spacing: 0.0,
            word_spacing: 0.0,
            hscale: 1.0,
            leading: 0.0,
            rise: 0.0,
            tm: Transform::identity(),
        }
    }
}

/// What is left in pdf-extract's current path (it panics on `v` after anything but a point).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum PathEnd {
    Empty,
    Point,
    Other,
}

/// A number in a `TJ` array: moves the text matrix.
pub(crate) fn adjust(gs: &mut State, tj: f64) {
    let w0 = 0.;
    let tx = gs.hscale * ((w0 - tj / 1000.) * gs.font_size);
    gs.tm = gs.tm.pre_transform(&Transform::create_translation(tx, 0.));
}
