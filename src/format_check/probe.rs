//! Asks pdf-extract what each used character code of each font yields: its advance width
//! (in text space units per 1000) and its text. We draw every used code once, with the font at
//! size 1, on a temporary page and record what pdf-extract reports; the fast interpreter
//! (`fast`) then replays the real content with these tables. Any panic or error here makes the
//! caller fall back to pdf-extract for the whole document, which would meet the same failure.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{
    Dictionary, Document, MediaBox, Object, ObjectId, OutputDev, OutputError, Stream, Transform,
};

/// Per character code (0–255): (advance width / 1000, decoded text).
pub(crate) type FontTable = Vec<Option<(f64, String)>>;

/// What the probe has to draw.
pub(crate) struct ProbePlan {
    /// Font resource name, font object (as found in the resources) and the codes used.
    pub fonts: Vec<(Vec<u8>, Object, [bool; 256])>,
    /// Named colour spaces selected with `cs`/`CS`, resolved.
    pub colorspaces: Vec<(Vec<u8>, Object)>,
}

/// Records the characters pdf-extract reports.
#[derive(Default)]
struct ProbeDev {
    chars: Vec<(f64, String)>,
}

impl OutputDev for ProbeDev {
    fn begin_page(
        &mut self,
        _page_num: u32,
        _media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        _trm: &Transform,
        width: f64,
        _spacing: f64,
        _font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.chars.push((width, char.to_string()));
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
}

/// A resource name we can write back into a content stream unchanged.
fn plain_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+'))
}

/// Draws the plan on page `first_number` (object `first_id`, restored afterwards) and returns
/// one table per font of the plan, or `None` if pdf-extract failed or answered unexpectedly.
pub(crate) fn run_probe(
    doc: &mut Document,
    first_id: ObjectId,
    first_number: u32,
    plan: &ProbePlan,
) -> Option<Vec<FontTable>> {
    let mut content: Vec<u8> = Vec::new();
    let mut colorspaces = Dictionary::new();
    for (name, value) in &plan.colorspaces {
        if !plain_name(name) {
            return None;
        }
        colorspaces.set(name.clone(), value.clone());
        content.push(b'/');
        content.extend_from_slice(name);
        content.extend_from_slice(b" cs\n");
    }
    let mut fonts = Dictionary::new();
    let mut expected = 0usize;
    content.extend_from_slice(b"BT\n");
    for (name, value, used) in &plan.fonts {
        if !plain_name(name) {
            return None;
        }
        fonts.set(name.clone(), value.clone());
        content.push(b'/');
        content.extend_from_slice(name);
        content.extend_from_slice(b" 1 Tf\n");
        for (code, _) in used.iter().enumerate().filter(|(_, u)| **u) {
            content.extend_from_slice(format!("<{code:02X}> Tj\n").as_bytes());
            expected += 1;
        }
    }
    content.extend_from_slice(b"ET\n");
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts));
    if !plan.colorspaces.is_empty() {
        resources.set("ColorSpace", Object::Dictionary(colorspaces));
    }

    let stream_id = doc.add_object(Object::Stream(Stream::new(Dictionary::new(), content)));
    let original = {
        let first = doc.get_object_mut(first_id).ok()?.as_dict_mut().ok()?;
        let original = first.clone();
        first.set("Contents", Object::Reference(stream_id));
        first.set("Resources", Object::Dictionary(resources));
        original
    };
    let mut dev = ProbeDev::default();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        pdf_extract::output_doc_page(doc, &mut dev, first_number)
    }));
    if let Ok(first) = doc.get_object_mut(first_id) {
        *first = Object::Dictionary(original);
    }
    doc.objects.remove(&stream_id);
    if !matches!(outcome, Ok(Ok(()))) || dev.chars.len() != expected {
        return None;
    }
    let mut chars = dev.chars.into_iter();
    let mut tables = Vec::with_capacity(plan.fonts.len());
    for (_, _, used) in &plan.fonts {
        let mut table: FontTable = vec![None; 256];
        for (code, slot) in table.iter_mut().enumerate() {
            if used[code] {
                *slot = Some(chars.next()?);
            }
        }
        tables.push(table);
    }
    Some(tables)
}
