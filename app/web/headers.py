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

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        # Pages show money and personal data: no cache may keep them. Static files may cache.
        if not (request.endpoint or "").endswith(CACHEABLE):
            response.headers["Cache-Control"] = "no-store, private"
        if secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
