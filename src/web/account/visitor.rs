//! What the account pages share about the visitor making a request: the client's address for
//! throttling and the limits on emails a visitor can trigger (registration, confirmation,
//! password reset, email change).

use actix_web::HttpRequest;

use crate::db::throttle;

/// The limits on emails a visitor can trigger: per kind ("reset", "confirm", "register") and
/// recipient, and per client address over all kinds, per hour.
pub(super) fn visitor_email_limits(
    security: &crate::config::SecuritySettings,
    kind: &str,
    recipient: &str,
    client: &str,
) -> [throttle::EmailLimit; 2] {
    [
        throttle::EmailLimit::to_recipient(
            &format!("{kind}:{recipient}"),
            security.visitor_emails_per_address_per_hour,
        ),
        throttle::EmailLimit::from_client(client, security.visitor_emails_per_client_per_hour),
    ]
}

/// The client's address for throttling: the TCP peer, or the proxy's forwarded address when
/// the deployment says a trusted proxy sets it.
pub(super) fn client_address(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for && let Some(ip) = req.connection_info().realip_remote_addr() {
        return ip.to_string();
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default()
}
