//! Export plumbing shared by every download (chairs' lists, reviews, decisions, the program,
//! the public accepted papers): a download response no cache keeps, cells a spreadsheet will
//! not run as formulas, and streamed bodies. A streamed export is written on the blocking
//! pool a chunk of rows at a time into a bounded channel that the response reads, so the
//! first bytes leave at once and memory stays flat however many rows there are. What each
//! export contains lives with its page.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use tokio::sync::mpsc;

/// Rows per database read of a streamed export.
pub const CHUNK: usize = 500;

/// Chunks waiting between the writer and a slow client.
const CHANNEL_CHUNKS: usize = 4;

/// A CSV file download that no cache keeps (chair exports name people).
pub fn csv_attachment(bytes: Vec<u8>, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// A CSV cell that a spreadsheet will not run as a formula.
pub fn csv_safe(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// Where a streamed export writes its bytes.
pub struct Sink {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

impl Sink {
    /// Sends `bytes` to the client, waiting while the channel is full; fails once the client
    /// has gone, which ends the export.
    pub fn send(&self, bytes: Vec<u8>) -> anyhow::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.tx
            .blocking_send(Ok(Bytes::from(bytes)))
            .map_err(|_| anyhow::anyhow!("the client closed the download"))
    }
}

/// A CSV writer whose rows go to a [`Sink`] at each [`CsvSink::flush`].
pub struct CsvSink {
    writer: csv::Writer<Vec<u8>>,
    sink: Sink,
}

impl CsvSink {
    /// Writes one record (callers pass cells through [`csv_safe`] where people type them).
    pub fn row<I, T>(&mut self, cells: I) -> anyhow::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.writer.write_record(cells)?;
        Ok(())
    }

    /// Sends the rows written since the last flush.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        let writer = std::mem::replace(&mut self.writer, csv::Writer::from_writer(Vec::new()));
        let bytes = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("csv: {}", e.error()))?;
        self.sink.send(bytes)
    }
}

/// A download of `content_type` named `name` (none: shown inline), its body written by
/// `write` on the blocking pool. An error while writing is logged and aborts the body, so
/// the client sees a failed download rather than a short file that looks whole.
pub fn stream<F>(content_type: &str, name: Option<&str>, write: F) -> HttpResponse
where
    F: FnOnce(&Sink) -> anyhow::Result<()> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(CHANNEL_CHUNKS);
    tokio::task::spawn_blocking(move || {
        let sink = Sink { tx };
        if let Err(e) = write(&sink) {
            tracing::warn!(error = %e, "export stopped");
            let _ = sink
                .tx
                .blocking_send(Err(std::io::Error::other(e.to_string())));
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "private, no-store"));
    if let Some(name) = name {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ));
    }
    response.streaming(body)
}

/// A streamed CSV download: `write` gets a CSV writer and flushes it after each chunk.
pub fn csv_stream<F>(name: &str, write: F) -> HttpResponse
where
    F: FnOnce(&mut CsvSink) -> anyhow::Result<()> + Send + 'static,
{
    stream("text/csv; charset=utf-8", Some(name), move |sink| {
        let mut out = CsvSink {
            writer: csv::Writer::from_writer(Vec::new()),
            sink: Sink {
                tx: sink.tx.clone(),
            },
        };
        write(&mut out)?;
        out.flush()
    })
}

/// Writes a JSON array of `items` in pieces: `[` before the first, `,` between.
pub struct JsonArray<'a> {
    sink: &'a Sink,
    buf: Vec<u8>,
    first: bool,
}

impl<'a> JsonArray<'a> {
    pub fn new(sink: &'a Sink) -> JsonArray<'a> {
        JsonArray {
            sink,
            buf: b"[".to_vec(),
            first: true,
        }
    }

    pub fn push(&mut self, item: &impl serde::Serialize) -> anyhow::Result<()> {
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        serde_json::to_writer(&mut self.buf, item)?;
        Ok(())
    }

    /// Sends what was pushed since the last flush.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.sink.send(std::mem::take(&mut self.buf))
    }

    /// Closes the array and sends the rest.
    pub fn finish(mut self) -> anyhow::Result<()> {
        self.buf.push(b']');
        self.flush()
    }
}
