"""Compose the ~2-hour networking lecture (networking-lecture.srt) from the written parts below.

Why generated: a 2-hour transcript is ~15k words. The explanations are written by hand; the
worked examples are computed (subnets, handshakes, routing look-ups) with seeded random inputs, so
every repetition uses different numbers and the facts stay correct. Run from anywhere:
    python evals/datasets/core/generate_networking_lecture.py
"""

from __future__ import annotations

import ipaddress
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULE_SECONDS = 15 * 60  # eight modules of ~15 minutes = ~2 hours
WORDS_PER_SECOND = 2.1

MODULES: list[dict] = [
    {
        "name": "layers",
        "intro": (
            "Good morning everyone, and welcome to this introduction to computer networks. "
            "We have about two hours, and we will go from the idea of layers all the way to "
            "routing and network address translation. Let's begin with layers. Networking "
            "software is organised as a stack of layers, and each layer offers a service to the "
            "layer above it. The OSI model has seven layers: physical, data link, network, "
            "transport, session, presentation and application. The Internet actually uses the "
            "simpler TCP/IP model with four layers: link, internet, transport and application. "
            "When an application sends data, each layer adds its own header in front of the data "
            "it receives from above. This is called encapsulation. At the receiver, each layer "
            "strips its header off again, which is decapsulation. The unit of data has a "
            "different name at each layer: a frame at the link layer, a packet at the network "
            "layer, and a segment at the transport layer when we use TCP."
        ),
        "questions": [
            "A student asks why we need layers at all. The answer is separation of concerns: "
            "your web browser does not need to know whether the bits travel over Wi-Fi or fibre, "
            "because the lower layers hide that detail.",
            "Someone asks whether the session and presentation layers exist in practice. Mostly "
            "they are folded into the application, for example TLS encryption is often described "
            "as sitting between the transport and the application.",
        ],
    },
    {
        "name": "addresses",
        "intro": (
            "Now let's look at IP addresses. An IPv4 address is thirty-two bits long. We write it "
            "in dotted decimal notation: four numbers from zero to two hundred fifty-five, "
            "separated by dots, where each number is one octet, eight bits. IPv6 addresses are "
            "one hundred twenty-eight bits long and are written in hexadecimal groups separated "
            "by colons, because we simply ran out of IPv4 addresses. Some IPv4 ranges are private "
            "and are not routed on the public Internet: ten dot anything, one seventy-two dot "
            "sixteen to one seventy-two dot thirty-one, and one ninety-two dot one sixty-eight. "
            "Your home network almost certainly uses one of these. To read addresses comfortably "
            "you need to convert between decimal and binary, so let's practise that."
        ),
        "questions": [
            "A student asks what one twenty-seven dot zero dot zero dot one is. That is the "
            "loopback address: packets sent there never leave your own machine.",
            "Another question: is an IP address tied to a computer? Not really, it is tied to an "
            "interface on a network, and it can change when you move to another network.",
        ],
    },
    {
        "name": "subnetting",
        "intro": (
            "Next, subnetting. An IP address has two parts: the network part and the host part. "
            "The subnet mask, or the prefix length in CIDR notation, tells us where the split is. "
            "Slash twenty-four means the first twenty-four bits are the network, leaving eight "
            "bits for hosts. The first address of a subnet is the network address and the last is "
            "the broadcast address, so neither can be given to a host. That is why a slash "
            "twenty-four has two hundred fifty-six addresses but only two hundred fifty-four "
            "usable hosts. In general the number of usable hosts is two to the power of the host "
            "bits, minus two. To find the network address you do a bitwise AND of the address and "
            "the mask. Let's work through several examples, because this is exam material."
        ),
        "questions": [
            "A student asks why we would split a network at all. Smaller subnets limit broadcast "
            "traffic, let us apply security rules between groups, and avoid wasting addresses.",
            "Someone asks about slash thirty-one. It is a special case for point-to-point links, "
            "where both addresses can be used because no broadcast is needed.",
        ],
    },
    {
        "name": "tcp",
        "intro": (
            "Let's move up to the transport layer. There are two main protocols here, TCP and UDP. "
            "TCP is connection-oriented and reliable: it numbers every byte with sequence numbers, "
            "the receiver sends acknowledgements, and lost segments are retransmitted. TCP also "
            "does flow control with a receive window and congestion control, slowing down when "
            "the network is overloaded. Before any data flows, TCP sets up a connection with the "
            "three-way handshake: SYN, SYN-ACK, ACK. UDP on the other hand is connectionless and "
            "unreliable: it just sends datagrams with no handshake and no retransmission, which "
            "makes it fast and light. That is why it is used for DNS queries, video calls and "
            "online games, where a late packet is worse than a lost one."
        ),
        "questions": [
            "A student asks how a connection is closed. With FIN segments: each side sends a FIN "
            "and the other acknowledges it, so closing usually takes four segments.",
            "Someone asks why the initial sequence number is random. Partly security, so an "
            "attacker cannot guess it, and partly to avoid confusion with old segments.",
        ],
    },
    {
        "name": "dns",
        "intro": (
            "After the break, the Domain Name System. Humans remember names, computers route on "
            "addresses, and DNS translates between them. DNS is a hierarchical, distributed "
            "database. At the top are the root servers, below them the top-level domain servers "
            "for com, org, country codes and so on, and below those the authoritative servers for "
            "each domain. Your computer asks a recursive resolver, usually run by your provider, "
            "and the resolver does the walking for you: root, then TLD, then authoritative. Every "
            "answer carries a time to live, the TTL, which says how many seconds it may be cached. "
            "DNS queries normally use UDP on port fifty-three. The common record types are A for "
            "an IPv4 address, AAAA for IPv6, CNAME for an alias, and MX for mail servers."
        ),
        "questions": [
            "A student asks why a DNS change takes time to show up everywhere. Because resolvers "
            "keep cached answers until their TTL runs out.",
            "Someone asks if DNS ever uses TCP. Yes, for large responses and for zone transfers "
            "between servers.",
        ],
    },
    {
        "name": "http",
        "intro": (
            "Now the application layer protocol you use most: HTTP. HTTP is a request-response "
            "protocol. The client sends a request with a method, a path, headers and sometimes a "
            "body. GET retrieves a resource, POST submits data, PUT replaces a resource and "
            "DELETE removes it. The server answers with a status code and a response. Status "
            "codes are grouped by their first digit: two hundreds mean success, three hundreds "
            "mean redirection, four hundreds mean a client error and five hundreds mean a server "
            "error. HTTP itself is stateless, every request stands alone, which is why websites "
            "use cookies to remember you. HTTPS is simply HTTP over TLS, encrypted, on port four "
            "four three instead of port eighty."
        ),
        "questions": [
            "A student asks about the difference between 401 and 403. 401 means you are not "
            "authenticated, 403 means you are authenticated but not allowed.",
            "Someone asks whether HTTP always runs over TCP. HTTP/3 runs over QUIC, which is "
            "built on UDP, to avoid head-of-line blocking.",
        ],
    },
    {
        "name": "routing",
        "intro": (
            "Let's talk about routing: how a packet finds its way across many networks. Each "
            "router has a routing table, a list of destination prefixes with the next hop for "
            "each. When a packet arrives, the router picks the entry with the longest prefix that "
            "matches the destination address. This is the longest prefix match rule: a more "
            "specific route always wins over a more general one. The default route, zero dot zero "
            "dot zero dot zero slash zero, matches everything and is used when nothing else does. "
            "Routers fill their tables with routing protocols: OSPF inside an organisation, and "
            "BGP between the large networks that make up the Internet. Each IP packet also has a "
            "TTL field that every router decrements, so a packet caught in a loop eventually dies."
        ),
        "questions": [
            "A student asks what traceroute does. It sends packets with TTL one, two, three and "
            "so on, and each router that drops one reports back, revealing the path.",
            "Someone asks whether all packets of a connection take the same path. Not "
            "necessarily: IP routes each packet independently.",
        ],
    },
    {
        "name": "nat",
        "intro": (
            "Final topic: ports and network address translation. An IP address gets a packet to a "
            "machine, and a port number, sixteen bits, gets it to the right program on that "
            "machine. Well-known ports include twenty-two for SSH, eighty for HTTP, four four "
            "three for HTTPS and fifty-three for DNS. Your home router has one public address but "
            "many devices behind it with private addresses. NAT, network address translation, "
            "rewrites the source address and port of outgoing packets to the router's public "
            "address and a new port, and remembers the mapping in a translation table so replies "
            "can be sent back to the right device. NAT is a big reason IPv4 has survived so long, "
            "but it breaks the end-to-end principle and makes incoming connections harder."
        ),
        "questions": [
            "A student asks how a game server behind NAT can receive connections. With port "
            "forwarding: a fixed rule in the router sends a public port to one private host.",
            "Someone asks whether IPv6 needs NAT. Generally no, there are enough addresses for "
            "every device to have a public one, although firewalls are still used.",
        ],
    },
]

OUTRO = (
    "And that brings us to the end. We went from layers and encapsulation, through addresses and "
    "subnetting, TCP and UDP, DNS and HTTP, to routing with the longest prefix match and NAT. "
    "Please do the subnetting exercises before next week. Thank you all."
)


def example_layers(rng: random.Random) -> str:
    app = rng.choice(["chat", "email", "web", "file transfer", "weather app"])
    size = rng.randrange(40, 1400, 20)
    total = size + 20 + 20 + 14 + 4
    return (
        f"Let's encapsulate a {size}-byte {app} message. TCP adds a twenty-byte header, giving a "
        f"{size + 20}-byte segment. IP adds another twenty bytes, so the packet is {size + 40} "
        f"bytes. Ethernet adds a fourteen-byte header and a four-byte trailer, and the frame on "
        f"the wire is {total} bytes. So the headers cost {total - size} bytes, which is "
        f"{100 * (total - size) / total:.0f} percent of this frame."
    )


def example_addresses(rng: random.Random) -> str:
    n = rng.randrange(1, 255)
    bits = format(n, "08b")
    ones = bits.count("1")
    return (
        f"Convert {n} to binary. The place values are one twenty-eight, sixty-four, thirty-two, "
        f"sixteen, eight, four, two and one. Working from the left we get {bits}. Check: "
        f"{' plus '.join(str(128 >> i) for i, b in enumerate(bits) if b == '1')} is {n}. "
        f"That octet has {ones} bits set."
    )


def example_subnetting(rng: random.Random) -> str:
    prefix = rng.choice([20, 22, 23, 24, 25, 26, 27, 28, 29, 30])
    addr = ipaddress.IPv4Address(rng.choice([10 << 24, (172 << 24) | (16 << 16), 0xC0A80000]) +
                                 rng.randrange(0, 1 << 16))
    net = ipaddress.IPv4Network(f"{addr}/{prefix}", strict=False)
    return (
        f"Example: the host {addr} slash {prefix}. The mask is {net.netmask}. AND the address with "
        f"the mask and the network address is {net.network_address}. The broadcast address is "
        f"{net.broadcast_address}. There are {32 - prefix} host bits, so {net.num_addresses} "
        f"addresses and {net.num_addresses - 2} usable hosts."
    )


def example_tcp(rng: random.Random) -> str:
    x, y = rng.randrange(1000, 90000), rng.randrange(1000, 90000)
    data = rng.randrange(100, 1500)
    return (
        f"Let's trace a handshake. The client picks initial sequence number {x} and sends SYN "
        f"with sequence {x}. The server picks {y} and replies SYN-ACK with sequence {y} and "
        f"acknowledgement {x + 1}. The client sends ACK with acknowledgement {y + 1}. If the "
        f"client then sends {data} bytes starting at sequence {x + 1}, the server acknowledges "
        f"{x + 1 + data}, the next byte it expects."
    )


def example_dns(rng: random.Random) -> str:
    name = rng.choice(["shop", "news", "mail", "docs", "maps", "learn"])
    tld = rng.choice(["com", "org", "de", "fr", "io", "edu"])
    ttl = rng.choice([60, 300, 900, 3600, 86400])
    return (
        f"Suppose you type {name} dot example dot {tld}. Your resolver has nothing cached, so it "
        f"asks a root server, which refers it to the {tld} servers. The {tld} server refers it to "
        f"the authoritative server for example dot {tld}, which returns the A record with a TTL "
        f"of {ttl} seconds. For the next {ttl // 60 if ttl >= 60 else ttl} "
        f"{'minutes' if ttl >= 60 else 'seconds'}, the resolver answers from its cache."
    )


HTTP_CASES = [
    ("GET", "200", "OK", "the page exists and is returned"),
    ("POST", "201", "Created", "a new order was created"),
    ("GET", "301", "Moved Permanently", "the page moved to a new address for good"),
    ("GET", "304", "Not Modified", "the cached copy is still valid"),
    ("GET", "404", "Not Found", "there is no such page"),
    ("DELETE", "403", "Forbidden", "the user may not delete this item"),
    ("PUT", "500", "Internal Server Error", "the server crashed while saving"),
    ("GET", "503", "Service Unavailable", "the server is overloaded or in maintenance"),
]


def example_http(rng: random.Random) -> str:
    method, code, reason, why = rng.choice(HTTP_CASES)
    path = rng.choice(["/cart", "/profile", "/orders/17", "/blog/networks", "/api/items"])
    family = {"2": "success", "3": "redirection", "4": "client error", "5": "server error"}[code[0]]
    return (
        f"Here is a request: {method} {path}. The server answers {code} {reason}, meaning "
        f"{why}. Because it starts with {code[0]}, it belongs to the {family} family."
    )


ROUTES = ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "172.16.0.0/12", "0.0.0.0/0"]


def example_routing(rng: random.Random) -> str:
    dest = ipaddress.IPv4Address(rng.choice([10 << 24, (10 << 24) | (1 << 16) | (2 << 8),
                                             (10 << 24) | (1 << 16), (172 << 24) | (20 << 16),
                                             (8 << 24)]) + rng.randrange(0, 256))
    matches = [r for r in ROUTES if dest in ipaddress.IPv4Network(r)]
    best = max(matches, key=lambda r: ipaddress.IPv4Network(r).prefixlen)
    return (
        f"Destination {dest}. Our table has {', '.join(ROUTES)}. The matching entries are "
        f"{', '.join(matches)}. The longest prefix is {best}, so the router uses that route."
    )


def example_nat(rng: random.Random) -> str:
    host = f"192.168.1.{rng.randrange(2, 250)}"
    sport, nport = rng.randrange(49152, 65535), rng.randrange(20000, 60000)
    public = f"203.0.113.{rng.randrange(1, 254)}"
    service = rng.choice([("HTTPS", 443), ("SSH", 22), ("DNS", 53), ("HTTP", 80)])
    return (
        f"The laptop at {host} opens a connection from port {sport} to a {service[0]} server on "
        f"port {service[1]}. The router rewrites the source to {public} port {nport} and stores "
        f"the mapping {host} colon {sport} to {public} colon {nport}. The reply comes back to "
        f"port {nport}, and the router translates it back to {host} port {sport}."
    )


EXAMPLES = [example_layers, example_addresses, example_subnetting, example_tcp, example_dns,
            example_http, example_routing, example_nat]
LEADS = ["Another one.", "Let's do one more.", "Try this one yourself first.", "Next example.",
         "Here's a slightly different case.", "One more, and watch the numbers."]


def _cues(text: str, max_words: int = 14) -> list[str]:
    out: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        words = sentence.split()
        for i in range(0, len(words), max_words):
            out.append(" ".join(words[i : i + max_words]))
    return [c for c in out if c]


def srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def to_srt(paragraphs: list[str], *, wps: float, seed: int = 0) -> str:
    """Cue the paragraphs at `wps` words per second, with short pauses between cues."""
    rng, t = random.Random(seed), 0.0
    blocks: list[str] = []
    for para in paragraphs:
        for cue in _cues(para):
            dur = max(1.0, len(cue.split()) / wps)
            blocks.append(f"{len(blocks) + 1}\n{srt_time(t)} --> {srt_time(t + dur)}\n{cue}\n")
            t += dur + rng.uniform(0.1, 0.6)
        t += rng.uniform(0.5, 2.5)  # pause between paragraphs
    return "\n".join(blocks)


def lecture_paragraphs(seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    paragraphs: list[str] = []
    for module, example in zip(MODULES, EXAMPLES, strict=True):
        spent = 0.0
        parts = [module["intro"]]
        questions = list(module["questions"])
        while spent < MODULE_SECONDS:
            paragraphs.append(parts.pop(0) if parts else "")
            spent += len(paragraphs[-1].split()) / WORDS_PER_SECOND + 1.5
            # An example, and now and then a student's question, until the module's time is used.
            if questions and rng.random() < 0.25:
                parts.append(questions.pop(0))
            else:
                parts.append(f"{rng.choice(LEADS)} {example(rng)}")
        paragraphs = [p for p in paragraphs if p]
    paragraphs.append(OUTRO)
    return paragraphs


if __name__ == "__main__":
    srt = to_srt(lecture_paragraphs(), wps=WORDS_PER_SECOND)
    (HERE / "networking-lecture.srt").write_text(srt, encoding="utf-8")
    print(f"wrote {HERE / 'networking-lecture.srt'} ({srt.count(' --> ')} cues)")
