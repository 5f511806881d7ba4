"""Signing a test in: an access.toml that names the user, an [auth] section, and Streamlit's signed-in user.

AppTest runs the app in this process with `at.user` as `st.user` and `at.secrets` as `st.secrets`, so a test
signs in as it would through OpenID Connect, with no provider (tests/test_browser_sign_in.py has the real one).
"""
from pathlib import Path

from streamlit.testing.v1 import AppTest

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-only-cookie-secret",
        "client_id": "torbay-dash-tests", "client_secret": "test-only-client-secret",
        "server_metadata_url": "http://localhost:1/.well-known/openid-configuration"}


def access_file(root: Path, users: list[dict], sign_in: str = "oidc", **settings) -> Path:
    """Write access.toml: [access] then one [[users]] entry per dict."""
    lines = ["[access]", f'sign_in = "{sign_in}"']
    lines += [f"{key} = {value!r}" if not isinstance(value, str) else f'{key} = "{value}"'
              for key, value in settings.items()]
    for user in users:
        lines.append("[[users]]")
        for key, value in user.items():
            lines.append(f'{key} = "{value}"' if isinstance(value, str)
                         else f"{key} = [{', '.join(repr(v).replace(chr(39), chr(34)) for v in value)}]")
    path = Path(root) / "access.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def signed_in(at: AppTest, email: str | None) -> AppTest:
    """The app with sign-in configured, as `email` (None: not signed in)."""
    at.secrets["auth"] = dict(AUTH)
    at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
    return at


def as_analyst(at: AppTest, root: Path, email: str = "analyst@council.example") -> AppTest:
    """For a test of real (not synthetic) extracts, where demo mode is refused: signed in as an analyst."""
    access_file(root, [{"email": email, "role": "analyst"}])
    return signed_in(at, email)
