"""What the benchmark scripts share: signing in to a running Leadline as the login page does."""
import sys
import urllib.parse


def sign_in(conn, email, password):
    """Posts the login form on `conn` (an http.client connection); returns the session cookie."""
    body = urllib.parse.urlencode({"email": email, "password": password})
    conn.request("POST", "/rpc/login", body=body,
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    response = conn.getresponse()
    response.read()
    cookies = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    if response.status >= 400 or not cookies:
        sys.exit(f"sign-in failed: HTTP {response.status}")
    return "; ".join(cookies)
