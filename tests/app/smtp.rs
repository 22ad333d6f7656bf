//! A tiny SMTP server on loopback that records every message it accepts, and can misbehave
//! on purpose: never greet, hang or refuse for some recipients, or answer slowly.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// How the server misbehaves.
#[derive(Clone, Default)]
pub struct Behaviour {
    /// Accept connections but never send the greeting.
    pub never_greet: bool,
    /// After `RCPT TO` naming an address containing this, never answer again.
    pub hang_for: Option<String>,
    /// For `RCPT TO` naming an address containing .0, answer .1 (e.g. "550 5.1.1 no such user").
    pub refuse_for: Option<(String, String)>,
    /// Wait this long before accepting each message's data.
    pub delay_per_message: Duration,
}

#[derive(Clone, Default)]
pub struct SmtpServer {
    pub messages: Arc<Mutex<Vec<String>>>,
    pub behaviour: Behaviour,
}

impl SmtpServer {
    pub fn with(behaviour: Behaviour) -> SmtpServer {
        SmtpServer {
            behaviour,
            ..SmtpServer::default()
        }
    }

    /// Listens on `port` (0 picks one) and serves until the test ends; returns the port.
    pub async fn start(&self, port: u16) -> u16 {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = self.messages.clone();
        let behaviour = self.behaviour.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let messages = messages.clone();
                let behaviour = behaviour.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    if behaviour.never_greet {
                        while let Ok(Some(_)) = lines.next_line().await {}
                        return;
                    }
                    let _ = write.write_all(b"220 test ESMTP\r\n").await;
                    let mut in_data = false;
                    let mut data = String::new();
                    let mut hung = false;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if hung {
                            continue;
                        }
                        if in_data {
                            if line == "." {
                                in_data = false;
                                tokio::time::sleep(behaviour.delay_per_message).await;
                                messages.lock().unwrap().push(std::mem::take(&mut data));
                                let _ = write.write_all(b"250 queued\r\n").await;
                            } else {
                                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                                data.push_str("\r\n");
                            }
                            continue;
                        }
                        let verb = line
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_uppercase();
                        let names = |needle: &Option<String>| {
                            needle.as_ref().is_some_and(|n| line.contains(n.as_str()))
                        };
                        if verb == "RCPT" && names(&behaviour.hang_for) {
                            hung = true;
                            continue;
                        }
                        if verb == "RCPT"
                            && let Some((needle, answer)) = &behaviour.refuse_for
                            && line.contains(needle.as_str())
                        {
                            let _ = write.write_all(format!("{answer}\r\n").as_bytes()).await;
                            continue;
                        }
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250-test\r\n250 8BITMIME\r\n",
                            "DATA" => {
                                in_data = true;
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"250 ok\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        port
    }

    pub fn received(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }
}

/// A loopback port with nobody listening (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
