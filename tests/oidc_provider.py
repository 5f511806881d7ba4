"""A real OpenID Connect provider on loopback, and signing in to the app through it in a browser.

The provider is oidc-provider-mock (PyPI), a real OIDC provider: discovery, authorization code flow,
signed ID tokens, JWKS. It runs in a thread of the test process (`run_server_in_thread`) on a free port
on localhost and accepts any client id and secret. Its authorization page asks for a subject (`sub`);
the claims of a subject are set beforehand through its API (PUT /users/<sub>), so the email the app
sees is the one given here (unset, the mock would use the sub itself as the email).

The app reads the provider's settings from a secrets.toml written for the test and passed to
`streamlit run` as `--secrets.files=...` (see `secrets_args`); its redirect_uri names the app's port,
so the port is chosen before the app starts.
"""
from __future__ import annotations

import contextlib
import json
import secrets
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

CLIENT_ID = "torbay-dash-test"
CLIENT_SECRET = "not-a-secret-only-a-test"


@contextlib.contextmanager
def provider() -> Iterator[str]:
    """An OIDC provider on loopback, at its issuer URL (http://localhost:<port>) until the block ends."""
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def set_user(issuer: str, email: str, name: str | None = None) -> None:
    """The claims the provider gives when `email` is typed as the subject on its authorization page."""
    body = json.dumps({"email": email, "email_verified": True, "name": name or email.split("@")[0]}).encode()
    request = urllib.request.Request(f"{issuer}/users/{quote(email, safe='')}", data=body, method="PUT",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204, response.status


def write_secrets(folder: Path, base: str, issuer: str) -> Path:
    """A secrets.toml whose [auth] section points Streamlit's st.login() at the provider."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secrets.toml"
    path.write_text(f'''[auth]
redirect_uri = "{base}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
''')
    return path


def secrets_args(path: Path) -> tuple[str, ...]:
    """The `streamlit run` arguments that make the served app read this secrets file (and no other)."""
    return (f"--secrets.files={path}",)


def settled(page, timeout: int = 120_000) -> None:
    """Until the app's script run has finished, and is still finished 300 ms later."""
    done = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    page.wait_for_selector(done, timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector(done, timeout=timeout)


def sign_in(page, base: str, issuer: str, email: str) -> None:
    """As a person does: open the app, press "Sign in", give the identity on the provider's page, come back.

    Ends on the app, signed in (the page Streamlit returns to after the callback), with its run finished.
    """
    set_user(issuer, email)
    page.goto(base)
    settled(page)
    page.get_by_role("button", name="Sign in").click()
    subject = page.get_by_placeholder("sub")
    subject.wait_for(timeout=60_000)
    assert page.url.startswith(f"{issuer}/oauth2/authorize"), page.url
    subject.fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**", timeout=60_000)
    settled(page)
