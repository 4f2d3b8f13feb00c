"""URLs that need normalising, with the canonical URL written BY HAND from the WHATWG URL
Standard (https://url.spec.whatwg.org/), which is what `fetch` sends and what contract §1.4 signs:
`new URL(u).href` without the fragment. Python's urllib is not a WHATWG parser, so nothing here is
computed; each row says which rule applies.

Also `is_plainly_canonical`: a conservative check for generated URLs that need no normalising.
"""

import re

# (name, input, expected canonical URL, the WHATWG rule)
HTTP_URLS = [
    ("case", "HTTPS://API.Qredo.Network/qapi/v1/Balance",
     "https://api.qredo.network/qapi/v1/Balance",
     "scheme and domain are lower-cased (scheme state; domain to ASCII); the path keeps its case"),
    ("default-port-https", "https://api.qredo.network:443/qapi/v1/balance",
     "https://api.qredo.network/qapi/v1/balance",
     "port state: a port equal to the scheme's default port becomes null"),
    ("default-port-http", "http://localhost:80/qapi/v1/balance",
     "http://localhost/qapi/v1/balance", "port state: 80 is http's default port"),
    ("port-leading-zeros", "https://api.qredo.network:0443/qapi/v1/balance",
     "https://api.qredo.network/qapi/v1/balance",
     "port state: the digits are read as a decimal number, so 0443 is 443, the default"),
    ("other-port-kept", "https://api.qredo.network:8443/qapi/v1/balance",
     "https://api.qredo.network:8443/qapi/v1/balance", "a non-default port is serialised"),
    ("empty-path", "https://api.qredo.network",
     "https://api.qredo.network/", "special URLs always have a path; an empty one serialises as /"),
    ("empty-path-with-query", "https://api.qredo.network?page=1",
     "https://api.qredo.network/?page=1", "empty path becomes / before the query"),
    ("dot-segments", "https://api.qredo.network/qapi/v2/../v1/./balance",
     "https://api.qredo.network/qapi/v1/balance",
     "path state: '..' removes the previous segment, '.' is dropped"),
    ("percent-encoded-dot-segments", "https://api.qredo.network/qapi/v2/%2e%2E/v1/%2E/balance",
     "https://api.qredo.network/qapi/v1/balance",
     "'%2e%2E' is a double-dot segment and '%2E' a single-dot segment (case-insensitive)"),
    ("dot-segments-above-root", "https://api.qredo.network/../../qapi/v1/balance",
     "https://api.qredo.network/qapi/v1/balance", "'..' at the root stays at the root"),
    ("path-space-non-ascii", "https://api.qredo.network/qapi/v1/a b/\u00e9/\U0001F600",
     "https://api.qredo.network/qapi/v1/a%20b/%C3%A9/%F0%9F%98%80",
     "path percent-encode set: space and non-ASCII become UTF-8 %XX with upper-case hex"),
    ("path-special-characters", "https://api.qredo.network/p/\"<>`{}'",
     "https://api.qredo.network/p/%22%3C%3E%60%7B%7D'",
     "path percent-encode set covers \" < > ` { } but not '"),
    ("existing-escapes-kept", "https://api.qredo.network/a%2fb/%7e?x=%2F%e2%82%ac",
     "https://api.qredo.network/a%2fb/%7e?x=%2F%e2%82%ac",
     "existing %XX sequences are neither decoded nor re-cased"),
    ("backslashes", "https://api.qredo.network\\qapi\\v1\\balance",
     "https://api.qredo.network/qapi/v1/balance",
     "in special URLs a backslash is a path separator like /"),
    ("idn-host", "https://b\u00fccher.example/qapi",
     "https://xn--bcher-kva.example/qapi", "domain to ASCII (UTS #46, Punycode)"),
    ("idn-host-upper-case", "https://B\u00dcCHER.example/qapi",
     "https://xn--bcher-kva.example/qapi", "UTS #46 mapping lower-cases \u00dc to \u00fc first"),
    ("percent-encoded-host", "https://api%2Eqredo.network/qapi",
     "https://api.qredo.network/qapi", "host parser percent-decodes before domain to ASCII"),
    ("host-trailing-dot", "https://api.qredo.network./qapi",
     "https://api.qredo.network./qapi", "a trailing dot is part of the domain and is kept"),
    ("ipv4-shorthand", "http://0x7f.1:3000/health",
     "http://127.0.0.1:3000/health", "IPv4 parser: hex parts and the short form a.b"),
    ("ipv6-compressed", "http://[0:0:0:0:0:0:0:1]:8080/health",
     "http://[::1]:8080/health", "IPv6 serialiser: longest run of zero pieces compressed"),
    ("ipv6-lower-case", "http://[2001:DB8:0:0:0:0:0:1]/health",
     "http://[2001:db8::1]/health", "IPv6 serialiser: lower-case hex, zeros compressed"),
    ("extra-slashes", "https:////api.qredo.network/qapi",
     "https://api.qredo.network/qapi", "special authority ignore slashes state"),
    ("missing-slashes", "https:api.qredo.network/qapi",
     "https://api.qredo.network/qapi",
     "special scheme with no base: the authority follows even without //"),
    ("double-slash-in-path", "https://api.qredo.network//qapi//v1",
     "https://api.qredo.network//qapi//v1", "empty path segments are kept"),
    ("fragment", "https://api.qredo.network/qapi/v1/balance#section",
     "https://api.qredo.network/qapi/v1/balance", "the fragment is never sent (contract §1.4)"),
    ("empty-fragment", "https://api.qredo.network/qapi/v1/balance#",
     "https://api.qredo.network/qapi/v1/balance", "an empty fragment is dropped as well"),
    ("fragment-after-query", "https://api.qredo.network/qapi/v1/transactions?page=2&size=10#top",
     "https://api.qredo.network/qapi/v1/transactions?page=2&size=10", "query kept, fragment dropped"),
    ("query-special-characters", "https://api.qredo.network/q?name=a b&x=\"<>'",
     "https://api.qredo.network/q?name=a%20b&x=%22%3C%3E%27",
     "special-query percent-encode set: space \" < > and, for special schemes, '"),
    ("query-non-ascii", "https://api.qredo.network/q?city=Z\u00fcrich&e=\U0001F600",
     "https://api.qredo.network/q?city=Z%C3%BCrich&e=%F0%9F%98%80",
     "non-ASCII in the query is UTF-8 percent-encoded"),
    ("query-left-alone", "https://api.qredo.network/q?a=[1]&b={x}&c=|`&d=/?:@!$()*+,;=",
     "https://api.qredo.network/q?a=[1]&b={x}&c=|`&d=/?:@!$()*+,;=",
     "these characters are outside the query percent-encode set"),
    ("empty-query-kept", "https://api.qredo.network/q?",
     "https://api.qredo.network/q?", "an empty query is not null: the ? stays"),
    ("tab-newline-and-spaces", "  https://api.qredo.net\twork/qapi/v1/bal\nance  ",
     "https://api.qredo.network/qapi/v1/balance",
     "leading/trailing C0-or-space are trimmed, ASCII tab and newline removed everywhere"),
]

# ws/wss for WebSocket upgrades (Partner API, GET, no body).
WS_URLS = [
    ("wss-plain", "wss://api.qredo.network/api/v1/p/ws?client=sdk",
     "wss://api.qredo.network/api/v1/p/ws?client=sdk", "already canonical"),
    ("wss-case-default-port", "WSS://API.QREDO.NETWORK:443/api/v1/p/ws",
     "wss://api.qredo.network/api/v1/p/ws", "lower-cased; 443 is wss's default port"),
    ("ws-default-port-fragment", "ws://localhost:80/feed?x=1#live",
     "ws://localhost/feed?x=1", "80 is ws's default port; fragment dropped"),
    ("wss-empty-path", "wss://api.qredo.network", "wss://api.qredo.network/", "empty path becomes /"),
]

_PLAIN = re.compile(
    r"^(https?|wss?)://[a-z0-9-]+(\.[a-z0-9-]+)*(:[1-9][0-9]{0,4})?"
    r"(/[A-Za-z0-9_~-]+(\.[A-Za-z0-9_~-]+)*)*/?"
    r"(\?([A-Za-z0-9_.~=&-]|%[0-9A-F]{2})*)?$"
)
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


def is_plainly_canonical(url: str) -> bool:
    """True when `url` obviously equals its WHATWG serialisation: lower-case ASCII host, no
    default port, non-empty path of unreserved characters with no dot segments, a query of
    unreserved characters and upper-case escapes, no fragment. Deliberately narrow."""
    m = _PLAIN.match(url)
    if not m:
        return False
    rest = url.split("://", 1)[1]
    if "/" not in rest.split("?", 1)[0]:
        return False  # empty path: serialises with a /
    if m.group(3) and m.group(3)[1:] == _DEFAULT_PORTS[m.group(1)]:
        return False
    return True
