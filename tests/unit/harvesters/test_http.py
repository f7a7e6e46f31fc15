"""harvesters.http against a real server on 127.0.0.1 (see conftest.py)."""

from __future__ import annotations

import email.utils
import gzip
import json
import time
from http.server import BaseHTTPRequestHandler

import pytest

from harvesters.errors import FetchError, ParseError, UnsafeURLError
from harvesters.http import HttpClient, Response, allow_temporarily, check_url_allowed, redact_url

LOCAL = ["127.0.0.1"]


def client(**kwargs: object) -> HttpClient:
    kwargs.setdefault("allowed_private_hosts", LOCAL)
    kwargs.setdefault("timeout", 2.0)
    return HttpClient(**kwargs)  # type: ignore[arg-type]


def public_resolver(host: str) -> list[str]:
    return ["93.184.215.14"]


# --- plain requests -------------------------------------------------------------------------------


def test_get_returns_body_and_sends_user_agent_accept_and_params(server):
    @server.route("/data")
    def data(handler, query):
        server.send(handler, 200, b"<a>ok</a>", "application/xml; charset=utf-8", {"X-Thing": "1"})

    response = client().get(
        server.url("/data?fixed=1"), {"q": 'a "b"', "n": 2, "skip": None}, accept=["application/xml"]
    )

    assert response.status == 200
    assert response.content == b"<a>ok</a>"
    assert response.headers["x-thing"] == "1"  # case-insensitive
    assert response.text == "<a>ok</a>"
    seen = server.seen[0]
    assert seen.query == {"fixed": ["1"], "q": ['a "b"'], "n": ["2"]}
    assert seen.headers["User-Agent"].startswith("ckanext-openoverheid/")
    assert seen.headers["Accept"] == "application/xml"


def test_post_json_sends_a_json_body(server):
    @server.route("/api")
    def api(handler, query):
        server.send(handler, 200, b'{"dataList": []}', "application/json")

    response = client().post_json(server.url("/api"), {"postCode": "3512AH", "houseNumber": 13})

    assert response.json() == {"dataList": []}
    assert server.seen[0].method == "POST"
    assert json.loads(server.seen[0].body) == {"postCode": "3512AH", "houseNumber": 13}
    assert server.seen[0].headers["Content-Type"] == "application/json"


def test_pause_is_slept_before_every_request_after_the_first(server):
    @server.route("/a")
    def a(handler, query):
        server.send(handler, 200, b"x", "text/plain")

    slept: list[float] = []
    http = client(pause=0.25, sleep=slept.append)
    http.get(server.url("/a"))
    assert slept == []
    http.get(server.url("/a"))
    http.get(server.url("/a"))
    assert slept == [0.25, 0.25]


def test_gzip_body_is_decoded(server):
    @server.route("/gz")
    def gz(handler, query):
        server.send(
            handler, 200, gzip.compress(b"<a>" + b"x" * 1000 + b"</a>"), "text/xml", {"Content-Encoding": "gzip"}
        )

    assert client().get(server.url("/gz")).content == b"<a>" + b"x" * 1000 + b"</a>"


# --- statuses -------------------------------------------------------------------------------------


def test_not_found_names_status_and_url_without_secrets(server):
    with pytest.raises(FetchError) as caught:
        client().get(server.url("/missing"), {"apikey": "SECRET123", "postcode": "3512AH"})
    message = str(caught.value)
    assert "404" in message and "/missing" in message and "postcode=3512AH" in message
    assert "SECRET123" not in message and "SECRET123" not in (caught.value.source_url or "")
    assert not isinstance(caught.value, UnsafeURLError)


def test_server_error_says_try_later(server):
    @server.route("/boom")
    def boom(handler, query):
        server.send(handler, 500, b"oops", "text/plain")

    with pytest.raises(FetchError, match=r"HTTP 500 .*try again later"):
        client().get(server.url("/boom"))


def test_429_is_retried_after_retry_after_seconds(server):
    calls = []

    @server.route("/limited")
    def limited(handler, query):
        calls.append(1)
        if len(calls) == 1:
            server.send(handler, 429, b"slow down", "text/plain", {"Retry-After": "7"})
        else:
            server.send(handler, 200, b"<ok/>")

    slept: list[float] = []
    response = client(sleep=slept.append).get(server.url("/limited"))

    assert response.content == b"<ok/>"
    assert slept == [7.0]
    assert len(calls) == 2


def test_503_with_http_date_retry_after_is_capped(server):
    calls = []

    @server.route("/busy")
    def busy(handler, query):
        calls.append(1)
        if len(calls) == 1:
            later = email.utils.formatdate(time.time() + 30, usegmt=True)
            server.send(handler, 503, b"", "text/plain", {"Retry-After": later})
        elif len(calls) == 2:
            later = email.utils.formatdate(time.time() + 3600, usegmt=True)
            server.send(handler, 503, b"", "text/plain", {"Retry-After": later})
        else:
            server.send(handler, 200, b"<ok/>")

    slept: list[float] = []
    client(sleep=slept.append).get(server.url("/busy"))

    assert 25 <= slept[0] <= 31
    assert slept[1] == 120.0


def test_429_gives_up_after_max_retries(server):
    @server.route("/limited")
    def limited(handler, query):
        server.send(handler, 429, b"", "text/plain", {"Retry-After": "1"})

    slept: list[float] = []
    with pytest.raises(FetchError, match=r"429.*after 2 retries"):
        client(sleep=slept.append, max_retries=2).get(server.url("/limited"))
    assert len(server.seen) == 3
    assert slept == [1.0, 1.0]


# --- content type ---------------------------------------------------------------------------------


def test_html_instead_of_xml_is_refused_with_its_title(server):
    @server.route("/sru")
    def sru(handler, query):
        page = b"<!DOCTYPE html><html><head><title>Storing - Overheid.nl</title></head><body>weg</body></html>"
        server.send(handler, 200, page, "text/html; charset=utf-8")

    with pytest.raises(FetchError) as caught:
        client().get(server.url("/sru"), accept=("application/xml", "text/xml"))
    assert "HTML page titled 'Storing - Overheid.nl'" in str(caught.value)
    assert "application/xml or text/xml" in str(caught.value)


def test_content_type_with_parameters_matches_its_prefix(server):
    @server.route("/sru")
    def sru(handler, query):
        server.send(handler, 200, b"<a/>", "text/xml;charset=UTF-8")

    assert client().get(server.url("/sru"), accept=("application/xml", "text/xml")).content == b"<a/>"


def test_json_of_an_html_page_is_a_parse_error():
    page = Response(
        "https://x.example/api?apikey=abc", 200, {"Content-Type": "text/html"}, b"<html><body>Login</body></html>"
    )
    with pytest.raises(ParseError, match="answered HTML, not JSON") as caught:
        page.json()
    assert "abc" not in str(caught.value)
    broken = Response("https://x.example/api", 200, {"Content-Type": "application/json"}, b'{"a": ')
    with pytest.raises(ParseError, match="malformed JSON"):
        broken.json()


def test_text_uses_the_declared_charset():
    response = Response(
        "https://x.example/", 200, {"Content-Type": "text/plain; charset=iso-8859-1"}, "café".encode("latin-1")
    )
    assert response.text == "café"


# --- size and time limits -------------------------------------------------------------------------


def test_body_larger_than_announced_limit_is_refused(server):
    @server.route("/big")
    def big(handler, query):
        server.send(handler, 200, b"x" * 200_000, "text/plain")

    with pytest.raises(FetchError, match="announced 200,000 bytes"):
        client(max_bytes=100_000).get(server.url("/big"))


def test_streamed_body_over_the_limit_is_cut_off(server):
    @server.route("/stream")
    def stream(handler, query):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        try:
            for _ in range(100):
                handler.wfile.write(b"y" * 10_000)
        except OSError:
            pass

    with pytest.raises(FetchError, match="more than 100,000 bytes"):
        client(max_bytes=100_000).get(server.url("/stream"))


def test_gzip_bomb_is_stopped_by_decoded_size(server):
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000

    @server.route("/bomb")
    def serve_bomb(handler, query):
        server.send(handler, 200, bomb, "application/xml", {"Content-Encoding": "gzip"})

    started = time.monotonic()
    with pytest.raises(FetchError, match="after decompression"):
        client(max_bytes=1_000_000).get(server.url("/bomb"))
    assert time.monotonic() - started < 5


def _headers_then(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/xml")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    handler.wfile.flush()


def test_a_stalled_body_hits_the_read_timeout(server):
    @server.route("/stall")
    def stall(handler, query):
        _headers_then(handler)
        handler.wfile.write(b"<a>")
        handler.wfile.flush()
        time.sleep(3)

    started = time.monotonic()
    with pytest.raises(FetchError, match="stopped sending"):
        client(timeout=0.5).get(server.url("/stall"))
    assert time.monotonic() - started < 2.5


def test_no_answer_at_all_hits_the_read_timeout(server):
    @server.route("/silent")
    def silent(handler, query):
        time.sleep(3)

    with pytest.raises(FetchError, match="did not answer within 0.5 s"):
        client(timeout=0.5).get(server.url("/silent"))


def test_an_endless_trickle_hits_the_total_timeout(server):
    @server.route("/trickle")
    def trickle(handler, query):
        _headers_then(handler)
        try:
            for _ in range(100):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    started = time.monotonic()
    with pytest.raises(FetchError, match="still sending after 1 s"):
        client(timeout=0.5, total_timeout=1.0).get(server.url("/trickle"))
    assert time.monotonic() - started < 3


# --- redirects and the address guard --------------------------------------------------------------


def test_relative_redirect_is_followed(server):
    @server.route("/old")
    def old(handler, query):
        server.send(handler, 301, b"", "text/plain", {"Location": "/new?x=1"})

    @server.route("/new")
    def new(handler, query):
        server.send(handler, 200, b"<new/>")

    response = client().get(server.url("/old"))
    assert response.content == b"<new/>"
    assert response.url == server.url("/new?x=1")


def test_redirect_to_metadata_address_is_refused(server):
    @server.route("/evil")
    def evil(handler, query):
        server.send(handler, 302, b"", "text/plain", {"Location": "http://169.254.169.254/latest/meta-data/"})

    with pytest.raises(UnsafeURLError, match="metadata"):
        client().get(server.url("/evil"))
    assert [seen.path for seen in server.seen] == ["/evil"]


def test_redirect_to_a_private_network_is_refused(server):
    @server.route("/evil")
    def evil(handler, query):
        server.send(handler, 307, b"", "text/plain", {"Location": "http://10.1.2.3:8080/admin"})

    with pytest.raises(UnsafeURLError, match="allowed_private_hosts"):
        client().get(server.url("/evil"))


def test_redirect_to_another_scheme_is_refused(server):
    @server.route("/evil")
    def evil(handler, query):
        server.send(handler, 302, b"", "text/plain", {"Location": "file:///etc/passwd"})

    with pytest.raises(UnsafeURLError, match="only http and https"):
        client().get(server.url("/evil"))


def test_redirect_loop_stops_after_five(server):
    @server.route("/loop")
    def loop(handler, query):
        server.send(handler, 302, b"", "text/plain", {"Location": "/loop"})

    with pytest.raises(FetchError, match="redirected more than 5 times"):
        client().get(server.url("/loop"))
    assert len(server.seen) == 6


def test_redirect_to_another_host_drops_authorization(server):
    port = server.base.rsplit(":", 1)[1]

    @server.route("/start")
    def start(handler, query):
        server.send(handler, 302, b"", "text/plain", {"Location": f"http://localhost:{port}/end"})

    @server.route("/end")
    def end(handler, query):
        server.send(handler, 200, b"<end/>")

    http = client(allowed_private_hosts=["127.0.0.1", "localhost"])
    http.get(server.url("/start"), headers={"Authorization": "Bearer secret"})
    assert server.seen[0].headers.get("Authorization") == "Bearer secret"
    assert "Authorization" not in server.seen[1].headers


def test_loopback_is_refused_unless_allowed(server):
    with pytest.raises(UnsafeURLError, match="ckanext.openoverheid.allowed_private_hosts"):
        HttpClient().get(server.url("/anything"))
    assert server.seen == []


def test_the_connected_address_is_checked_too(server):
    """DNS rebinding: the name checked as public, but the socket reaches 127.0.0.1."""
    port = server.base.rsplit(":", 1)[1]
    with pytest.raises(UnsafeURLError, match="127.0.0.1"):
        HttpClient(resolver=public_resolver, timeout=2).get(f"http://localhost:{port}/x")
    assert server.seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.10.10/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[::1]/",
        "http://[::]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
    ],
)
def test_non_public_addresses_are_refused(url):
    with pytest.raises(UnsafeURLError):
        check_url_allowed(url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "http:///path"])
def test_only_http_urls_with_a_host(url):
    with pytest.raises(UnsafeURLError):
        check_url_allowed(url, resolver=public_resolver)


def test_public_addresses_pass():
    check_url_allowed("https://93.184.215.14/sru")
    check_url_allowed("https://repository.overheid.nl/sru", resolver=public_resolver)


def test_allowed_private_hosts_by_ip_cidr_and_name():
    def intranet(host: str) -> list[str]:
        return ["10.20.30.40"]

    with pytest.raises(UnsafeURLError):
        check_url_allowed("http://gis.intranet/wfs", resolver=intranet)
    check_url_allowed("http://gis.intranet/wfs", ["10.0.0.0/8"], resolver=intranet)
    check_url_allowed("http://gis.intranet/wfs", ["10.20.30.40"], resolver=intranet)
    check_url_allowed("http://gis.intranet/wfs", ["GIS.intranet"], resolver=intranet)
    with pytest.raises(UnsafeURLError):
        check_url_allowed("http://gis.intranet/wfs", ["192.168.0.0/16", "other.intranet"], resolver=intranet)


def test_an_exact_host_port_allows_that_port_only():
    check_url_allowed("http://127.0.0.1:8123/sru", ["127.0.0.1:8123"])
    check_url_allowed("http://localhost:8123/sru", ["localhost:8123"], resolver=lambda host: ["127.0.0.1"])
    check_url_allowed("http://[::1]:8123/sru", ["[::1]:8123"])
    for url in ("http://127.0.0.1:6379/", "http://127.0.0.1:5432/", "http://127.0.0.1/", "http://127.0.0.2:8123/",
                "http://[::1]:8123/", "https://127.0.0.1/"):
        with pytest.raises(UnsafeURLError, match="loopback"):
            check_url_allowed(url, ["127.0.0.1:8123"])
    # the default port of the scheme counts: 127.0.0.1:80 allows http://127.0.0.1/ but not https
    check_url_allowed("http://127.0.0.1/", ["127.0.0.1:80"])
    with pytest.raises(UnsafeURLError):
        check_url_allowed("https://127.0.0.1/", ["127.0.0.1:80"])
    # a bare IPv6 address is an address, not a host with a port
    with pytest.raises(UnsafeURLError):
        check_url_allowed("http://[fd00::1]:1/", ["fd00::1:1"])


def test_an_exact_host_port_is_checked_again_on_the_connected_socket(server):
    @server.route("/data")
    def data(handler, query):
        server.send(handler, 200, b"ok", "text/plain")

    port = int(server.url("/").split(":")[2].split("/")[0])
    assert client(allowed_private_hosts=[f"127.0.0.1:{port}"]).get(server.url("/data")).content == b"ok"
    with pytest.raises(UnsafeURLError):
        client(allowed_private_hosts=[f"127.0.0.1:{port + 1}"]).get(server.url("/data"))


def test_a_temporary_allowance_holds_in_its_block_and_thread_only(server):
    import threading

    @server.route("/data")
    def data(handler, query):
        server.send(handler, 200, b"ok", "text/plain")

    port = int(server.url("/").split(":")[2].split("/")[0])
    url = server.url("/data")
    with pytest.raises(UnsafeURLError):
        client(allowed_private_hosts=[]).get(url)
    seen_elsewhere: list[BaseException] = []
    with allow_temporarily([f"127.0.0.1:{port}"]):
        check_url_allowed(url)
        assert client(allowed_private_hosts=[]).get(url).content == b"ok"
        with pytest.raises(UnsafeURLError):
            check_url_allowed("http://127.0.0.1:6379/")

        def elsewhere() -> None:
            try:
                check_url_allowed(url)
            except UnsafeURLError as error:
                seen_elsewhere.append(error)

        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
    assert len(seen_elsewhere) == 1  # another thread (a web worker, a queue consumer) never had it
    with pytest.raises(UnsafeURLError):
        check_url_allowed(url)  # and after the block it is gone


def test_every_address_of_a_host_must_pass():
    def mixed(host: str) -> list[str]:
        return ["93.184.215.14", "10.0.0.7"]

    with pytest.raises(UnsafeURLError, match="10.0.0.7"):
        check_url_allowed("http://mixed.example/", resolver=mixed)


def test_metadata_address_needs_an_exact_entry():
    with pytest.raises(UnsafeURLError, match="metadata"):
        check_url_allowed("http://169.254.169.254/", ["169.254.0.0/16"])
    with pytest.raises(UnsafeURLError, match="metadata"):
        check_url_allowed("http://[fd00:ec2::254]/", ["fd00::/8"])
    check_url_allowed("http://169.254.169.254/", ["169.254.169.254"])


def test_unknown_host_is_a_fetch_error_not_unsafe():
    def nowhere(host: str) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchError, match="could not be found") as caught:
        check_url_allowed("https://nowhere.example/", resolver=nowhere)
    assert not isinstance(caught.value, UnsafeURLError)


def test_redact_url():
    assert redact_url("https://u:pw@x.example/p?apikey=abc&postcode=1234AB&token=t") == (
        "https://***@x.example/p?apikey=%2A%2A%2A&postcode=1234AB&token=%2A%2A%2A"
    )
    assert redact_url("https://x.example/p?q=1") == "https://x.example/p?q=1"


# --- probe (link checks) ---------------------------------------------------------------------------


def test_probe_answers_the_final_status_without_reading_the_body(server):
    @server.route("/big.csv")
    def big(handler, query):
        server.send(handler, 200, b"x" * 5_000_000, "text/csv")

    @server.route("/moved")
    def moved(handler, query):
        server.send(handler, 302, b"", headers={"Location": "/gone"})

    probing = client(max_bytes=100)  # the limit of get() does not apply: probe reads a few bytes only
    assert probing.probe(server.url("/big.csv"), "GET") == 200
    assert probing.probe(server.url("/moved"), "GET") == 404  # an error status is answered, not raised
    assert probing.probe(server.url("/big.csv"), "HEAD") == 501  # this server knows no HEAD
    assert [seen.method for seen in server.seen] == ["GET", "GET", "GET"]  # the HEAD got the stdlib's 501


def test_probe_keeps_the_guard_against_private_addresses(server):
    with pytest.raises(UnsafeURLError):
        client(allowed_private_hosts=[]).probe(server.url("/big.csv"))
