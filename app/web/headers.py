"""Security headers on every response."""

from flask import Flask, Response, request

from app.web.analytics import portal_origin

CACHEABLE = ("static", "plotly_js")
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'; frame-src {frames}; connect-src {frames}"
)


def content_security_policy(portal_url: str) -> str:
    """The CSP; frames may come from this origin and from the analytics portal's, and the
    Analytics page may ask the portal's health check whether it is running."""
    origin = portal_origin(portal_url)
    return CSP.format(frames=f"'self' {origin}" if origin else "'self'")


def init_app(app: Flask) -> None:
    secure = app.config["OUTLAY_SECURE_COOKIES"]
    csp = content_security_policy(app.config.get("OUTLAY_PORTAL_URL", "/portal"))

    defaults = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "SAMEORIGIN"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if secure:
        defaults.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    by_key = [(name.lower(), name, value) for name, value in defaults]

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        # Each unless the view set its own; the names present looked up once, not per header.
        present = {name.lower() for name, _value in headers.items()}
        for key, name, value in by_key:
            if key not in present:
                headers.add(name, value)
        # Pages show money and personal data: no cache may keep them. Static files may cache.
        if not (request.endpoint or "").endswith(CACHEABLE):
            headers["Cache-Control"] = "no-store, private"
        return response
