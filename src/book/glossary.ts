/**
 * The book's glossary: every term defined once, here. The glossary page (/glossary/) lists them,
 * and chapters link a term's first use with <Term id="...">, which fails the build on an id
 * that is not in this list. Plain data (no Astro imports), so the unit tests can check it.
 */

export interface GlossaryEntry {
  /** The anchor on the glossary page: /glossary/#<id>. Lower case, digits and hyphens. */
  id: string;
  /** The term as the glossary lists it. */
  term: string;
  /** One to three sentences. */
  definition: string;
  /** The chapter section that explains it in depth: chapter id and heading id. */
  see?: { chapter: string; section: string };
  /** The specification that defines it: "RFC 9002 §6.2". */
  spec?: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    id: '0-rtt',
    term: '0-RTT',
    definition:
      'Application data a client sends in its very first flight when it resumes a connection, encrypted with keys derived from a ticket of an earlier connection. It saves a round trip, but it can be replayed by an attacker and is not forward secret, so only requests that are safe to repeat belong in it.',
    see: { chapter: 'quic', section: '0-rtt-and-what-it-risks' },
    spec: 'RFC 9001 §4.6, RFC 8446 §2.3',
  },
  {
    id: 'ack-delay',
    term: 'ACK Delay',
    definition:
      'The field of a QUIC ACK frame in which the receiver says how long it held the acknowledgment back after receiving the largest acknowledged packet. The sender subtracts it (up to the peer’s max_ack_delay) from its RTT sample.',
    see: { chapter: 'quic', section: 'packet-numbers-that-never-repeat' },
    spec: 'RFC 9000 §19.3, RFC 9002 §5.3',
  },
  {
    id: 'alpn',
    term: 'ALPN (Application-Layer Protocol Negotiation)',
    definition:
      'A TLS extension in which the client lists the application protocols it speaks (h2, http/1.1, h3) and the server picks one during the handshake, so no extra round trip is spent agreeing on it. QUIC requires it.',
    spec: 'RFC 7301; RFC 9001 §8.1',
  },
  {
    id: 'anycast',
    term: 'Anycast',
    definition:
      'One address prefix announced by many sites at once, so that routing delivers each packet to the topologically nearest one. Root servers, public resolvers and CDNs use it for speed and resilience; withdrawing the route takes a site out.',
    see: { chapter: 'dns', section: 'redundancy-has-limits' },
    spec: 'RFC 4786',
  },
  {
    id: 'authoritative-server',
    term: 'Authoritative server',
    definition:
      'A DNS server that holds a zone’s data and answers for it from that data, with the AA flag set; for names delegated further down, it returns a referral instead. It does not resolve other names for its clients.',
    see: { chapter: 'dns', section: 'three-roles' },
    spec: 'RFC 9499',
  },
  {
    id: 'bbr',
    term: 'BBR',
    definition:
      'A congestion controller from Google that estimates the path’s bottleneck bandwidth and its minimum RTT and paces its sending to match them, instead of treating every loss as a signal to slow down. It is described in Internet-Drafts, not yet in an RFC.',
    see: { chapter: 'quic', section: 'congestion-control' },
  },
  {
    id: 'cwnd',
    term: 'Congestion window (cwnd)',
    definition:
      'The sender’s limit on how much data may be in flight, sent but not yet acknowledged, set by its congestion controller to protect the network. A sender is held by the smaller of this window and the receiver’s flow-control limit.',
    see: { chapter: 'quic', section: 'congestion-control' },
    spec: 'RFC 5681, RFC 9002 §7',
  },
  {
    id: 'connection-id',
    term: 'Connection ID',
    definition:
      'An opaque identifier, up to 20 bytes in QUIC version 1, that an endpoint chooses for the packets sent to it. Because a QUIC connection is found by its ID rather than by addresses and ports, it survives a change of address.',
    see: { chapter: 'quic', section: 'connection-ids-a-connection-that-survives-a-new-address' },
    spec: 'RFC 9000 §5.1',
  },
  {
    id: 'cubic',
    term: 'CUBIC',
    definition:
      'A congestion controller that cuts the window to 0.7 of its size on a loss and then grows it as a cubic function of the time since that loss, flattening near the window where the loss happened. It is the default of Linux’s TCP and of many QUIC stacks.',
    see: { chapter: 'quic', section: 'cubic-a-window-that-is-a-function-of-time' },
    spec: 'RFC 9438',
  },
  {
    id: 'doh',
    term: 'DoH (DNS over HTTPS)',
    definition:
      'DNS messages carried as the bodies of HTTPS requests and responses of type application/dns-message, so that queries are encrypted and look like other web traffic.',
    see: { chapter: 'dns', section: 'doh-dot-and-httpdns' },
    spec: 'RFC 8484',
  },
  {
    id: 'ecs',
    term: 'EDNS Client Subnet (ECS)',
    definition:
      'An EDNS option in which a recursive resolver passes a truncated prefix of its client’s address to authoritative servers, so that a DNS load balancer can answer for the client’s network rather than the resolver’s.',
    see: { chapter: 'dns', section: 'edns-client-subnet' },
    spec: 'RFC 7871',
  },
  {
    id: 'edns',
    term: 'EDNS(0)',
    definition:
      'The extension mechanism of DNS: an OPT pseudo-record in the additional section that advertises the UDP payload size the sender can receive, carries the upper bits of the RCODE and flags such as DO, and holds options.',
    see: { chapter: 'dns', section: 'edns0-the-opt-pseudo-record' },
    spec: 'RFC 6891',
  },
  {
    id: 'glue',
    term: 'Glue record',
    definition:
      'An address record for a name server that the parent zone sends along with a delegation, needed above all when the server’s name lies inside the zone it serves: finding its address would otherwise mean asking the server itself.',
    see: { chapter: 'dns', section: 'referrals-and-glue' },
    spec: 'RFC 9499',
  },
  {
    id: 'gslb',
    term: 'GSLB (global server load balancer)',
    definition:
      'An authoritative DNS service that gives different askers different answers, such as the address of the nearest site or of one that is up. It sees the recursive resolver’s address, not the user’s, which is where it goes wrong.',
    see: { chapter: 'dns', section: 'global-load-balancing-with-dns-and-where-it-misroutes' },
  },
  {
    id: 'head-of-line-blocking',
    term: 'Head-of-line blocking',
    definition:
      'A missing item at the front of an ordered queue holds back everything behind it, even items that do not depend on it. Over TCP, one lost segment delays every HTTP/2 stream on the connection; QUIC delays only the stream whose data was lost.',
    see: { chapter: 'quic', section: 'streams-without-head-of-line-blocking' },
  },
  {
    id: 'header-protection',
    term: 'Header protection',
    definition:
      'QUIC’s masking of the packet number and of the low bits of a packet’s first byte, with a mask computed from a sample of the encrypted payload. It keeps middleboxes from reading, and coming to depend on, those fields.',
    see: { chapter: 'quic', section: 'a-real-initial-packet' },
    spec: 'RFC 9001 §5.4',
  },
  {
    id: 'mtu',
    term: 'MTU, path MTU (PMTU)',
    definition:
      'The MTU is the largest IP packet a link can carry (1,500 bytes on Ethernet); the path MTU is the smallest MTU along a path. IPv6 guarantees at least 1,280 bytes, and QUIC needs paths that carry UDP payloads of at least 1,200 bytes.',
    spec: 'RFC 1191, RFC 8201, RFC 8899; RFC 9000 §14',
  },
  {
    id: 'nxdomain',
    term: 'NXDOMAIN',
    definition:
      'The DNS response code 3: the name asked about does not exist, with any record type. Resolvers cache it for the negative TTL that the zone’s SOA record sets.',
    see: { chapter: 'dns', section: 'negative-answers-are-cached-too' },
    spec: 'RFC 1035 §4.1.1, RFC 2308',
  },
  {
    id: 'packet-number',
    term: 'Packet number',
    definition:
      'QUIC’s number for each packet, from 0 to 2⁶² − 1 in each of three packet number spaces, never used twice, so an acknowledgment always names one transmission. On the wire only its 1 to 4 lowest bytes are sent, masked by header protection.',
    see: { chapter: 'quic', section: 'packet-numbers-that-never-repeat' },
    spec: 'RFC 9000 §12.3, §17.1',
  },
  {
    id: 'pto',
    term: 'PTO (probe timeout)',
    definition:
      'The timer a QUIC sender runs while it waits for acknowledgments: the smoothed RTT plus four times its variation (at least 1 ms) plus the peer’s max_ack_delay, doubled each time it expires. On expiry the sender sends one or two probe packets rather than shrinking its window.',
    see: { chapter: 'quic', section: 'packet-numbers-that-never-repeat' },
    spec: 'RFC 9002 §6.2',
  },
  {
    id: 'rcode',
    term: 'RCODE',
    definition:
      'The result code of a DNS response: 4 bits in the header (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, …), extended to 12 bits by EDNS.',
    see: { chapter: 'dns', section: 'the-header' },
    spec: 'RFC 1035 §4.1.1, RFC 6891',
  },
  {
    id: 'recursive-resolver',
    term: 'Recursive resolver',
    definition:
      'The DNS server that does the resolving: it takes a client’s question, follows referrals from the root down to the authoritative servers, caches what it learns for each record’s TTL and answers many clients.',
    see: { chapter: 'dns', section: 'three-roles' },
    spec: 'RFC 9499',
  },
  {
    id: 'reno',
    term: 'Reno, NewReno',
    definition:
      'TCP’s classic congestion control: the window grows by one segment per round trip and is halved on a loss (additive increase, multiplicative decrease). NewReno improves its recovery from several losses in one window; RFC 9002’s default controller for QUIC is based on it.',
    see: { chapter: 'quic', section: 'why-growth-paced-by-the-rtt-falls-short' },
    spec: 'RFC 5681, RFC 6582',
  },
  {
    id: 'rtt',
    term: 'RTT (round-trip time)',
    definition:
      'The time from sending a packet to receiving the reply it causes. Handshakes cost whole round trips, and loss detection, retransmission timers and window growth are all paced by it.',
    see: { chapter: 'quic', section: 'packet-numbers-that-never-repeat' },
    spec: 'RFC 6298, RFC 9002 §5',
  },
  {
    id: 'slow-start',
    term: 'Slow start',
    definition:
      'The start of a connection’s congestion control: the window grows by as much as each acknowledgment covers, so it doubles every round trip, from the initial window until a loss or ssthresh.',
    see: { chapter: 'quic', section: 'what-rfc-9002-specifies' },
    spec: 'RFC 5681 §3.1, RFC 9002 §7.3.1',
  },
  {
    id: 'sni',
    term: 'SNI (Server Name Indication)',
    definition:
      'A TLS extension in which the client names the host it wants in its ClientHello, so that one address can serve many sites, each with its own certificate. It travels unencrypted unless Encrypted Client Hello is used.',
    see: { chapter: 'dns', section: 'using-the-answer-keep-the-name' },
    spec: 'RFC 6066 §3',
  },
  {
    id: 'ssthresh',
    term: 'ssthresh (slow start threshold)',
    definition:
      'The window size at which a sender leaves slow start for congestion avoidance. On a loss, Reno sets it to half the data in flight, so a window that starts again from the bottom doubles only up to there.',
    see: { chapter: 'quic', section: 'what-rfc-9002-specifies' },
    spec: 'RFC 5681 §3.1',
  },
  {
    id: 'stub-resolver',
    term: 'Stub resolver',
    definition:
      'The resolver in an operating system or application (glibc behind getaddrinfo(), for one): it resolves nothing itself, but sends each question with RD=1 to a recursive resolver it has been configured with.',
    see: { chapter: 'dns', section: 'three-roles' },
    spec: 'RFC 9499',
  },
  {
    id: 'tcp-handshake',
    term: 'TCP handshake',
    definition:
      'The three packets that open a TCP connection, SYN, SYN-ACK and ACK, in which both sides choose their initial sequence numbers. It costs one round trip before the client can send data.',
    see: { chapter: 'quic', section: 'connecting-in-one-round-trip-or-none' },
    spec: 'RFC 9293 §3.5',
  },
  {
    id: 'time-wait',
    term: 'TIME_WAIT',
    definition:
      'The state in which the side that closed a TCP connection first keeps its four-tuple reserved for twice the maximum segment lifetime, so that late segments cannot be taken for part of a new connection (60 seconds on Linux).',
    see: { chapter: 'quic', section: 'time_wait-the-cost-of-closing-first' },
    spec: 'RFC 9293 §3.6',
  },
  {
    id: 'tls-handshake',
    term: 'TLS handshake',
    definition:
      'The exchange in which client and server agree on keys and the server proves its identity with a certificate. TLS 1.3 needs one round trip (TLS 1.2 needed two), and a resumed connection can send 0-RTT data; QUIC carries the TLS 1.3 handshake in its own packets.',
    see: { chapter: 'quic', section: 'connecting-in-one-round-trip-or-none' },
    spec: 'RFC 8446; RFC 9001',
  },
  {
    id: 'ttl',
    term: 'TTL (time to live)',
    definition:
      'In DNS, the number of seconds a record may be cached; caches count it down, so a chain of caches never keeps a record longer than its owner allowed. (In an IP header, the TTL limits how many routers a packet may cross.)',
    see: { chapter: 'dns', section: 'caching-at-every-level' },
    spec: 'RFC 1035 §3.2.1, RFC 2181 §8',
  },
  {
    id: 'aead',
    term: 'AEAD (authenticated encryption with associated data)',
    definition:
      'A cipher mode that encrypts and authenticates in one operation and also authenticates data it does not encrypt, such as a record header; AES-GCM and ChaCha20-Poly1305 are the common ones. TLS 1.3 and QUIC allow only AEAD ciphers, each record or packet with its own nonce and a 16-byte tag.',
    see: { chapter: 'https', section: 'the-key-block' },
    spec: 'RFC 5116; RFC 8446 §5.2',
  },
  {
    id: 'certificate-chain',
    term: 'Certificate chain',
    definition:
      'The certificates a server sends to prove its identity: its own (the leaf) first, then each intermediate up to, but usually not including, a root the client already trusts. The chain is most of the bytes of a server’s first flight.',
    see: { chapter: 'https', section: 'bytes-per-flight-measured' },
    spec: 'RFC 5280; RFC 8446 §4.4.2',
  },
  {
    id: 'certificate-verify',
    term: 'CertificateVerify',
    definition:
      'The handshake message in which a TLS endpoint signs the handshake so far with the private key of the certificate it just sent. It proves that the sender holds that key and took part in this very handshake.',
    see: { chapter: 'https', section: 'what-each-signature-proves' },
    spec: 'RFC 8446 §4.4.3, RFC 5246 §7.4.8',
  },
  {
    id: 'ecdhe',
    term: 'ECDHE (ephemeral elliptic-curve Diffie-Hellman)',
    definition:
      'A key exchange in which each side makes a fresh key pair for one connection, such as on X25519 or P-256, sends the public half, and computes the same shared secret from the other’s public key. Because the private halves are thrown away, a stolen certificate key cannot decrypt recorded traffic later.',
    see: { chapter: 'https', section: 'rsa-key-transport-and-ecdhe' },
    spec: 'RFC 8422; RFC 7748',
  },
  {
    id: 'extended-master-secret',
    term: 'Extended master secret',
    definition:
      'A TLS 1.2 extension that derives the master secret from a hash of the whole handshake up to the ClientKeyExchange instead of from the two randoms, so two connections with different servers or certificates can never share a master secret. It closes the triple-handshake attack.',
    see: { chapter: 'https', section: 'the-extended-master-secret' },
    spec: 'RFC 7627',
  },
  {
    id: 'false-start',
    term: 'False Start',
    definition:
      'A TLS 1.2 optimisation in which the client sends application data right after its own Finished, without waiting for the server’s, cutting a full handshake to one round trip for the client. It is allowed only with forward-secret key exchange and strong ciphers.',
    see: { chapter: 'https', section: 'the-tls-12-handshake' },
    spec: 'RFC 7918',
  },
  {
    id: 'forward-secrecy',
    term: 'Forward secrecy',
    definition:
      'The property that recorded traffic stays secret even if a long-term key (a certificate’s private key, a ticket-encryption key, a pre-shared key) is stolen later. TLS gets it from ephemeral Diffie-Hellman; RSA key transport and 0-RTT data lack it.',
    see: { chapter: 'https', section: 'rsa-key-transport-and-ecdhe' },
    spec: 'RFC 8446 §2.3',
  },
  {
    id: 'hello-retry-request',
    term: 'HelloRetryRequest',
    definition:
      'A TLS 1.3 server’s reply to a ClientHello whose key shares are all for groups it will not use: a ServerHello with a fixed random value that names the group it wants. The client sends a second ClientHello, which costs a round trip.',
    see: { chapter: 'https', section: 'helloretryrequest-when-the-guess-is-wrong' },
    spec: 'RFC 8446 §4.1.4',
  },
  {
    id: 'hkdf',
    term: 'HKDF',
    definition:
      'The HMAC-based key derivation function: Extract concentrates the entropy of input keying material into a pseudorandom key, and Expand stretches that key into as many bytes as needed, bound to a label. TLS 1.3 derives all its secrets with it.',
    see: { chapter: 'https', section: 'the-tls-13-key-schedule' },
    spec: 'RFC 5869; RFC 8446 §7.1',
  },
  {
    id: 'master-secret',
    term: 'Master secret',
    definition:
      'In TLS 1.2, the 48 bytes both sides derive from the premaster secret and the two randoms, from which every key of the connection is expanded and which a resumed session reuses. TLS 1.3 has a Master Secret too, as the last stage of its key schedule.',
    see: { chapter: 'https', section: 'from-the-premaster-secret-to-the-master-secret' },
    spec: 'RFC 5246 §8.1; RFC 8446 §7.1',
  },
  {
    id: 'mutual-tls',
    term: 'Mutual TLS (mTLS)',
    definition:
      'A TLS handshake in which the client, asked with CertificateRequest, authenticates too, with a certificate and a CertificateVerify signature. It is common between services and for devices; browsers rarely use it.',
    see: { chapter: 'https', section: 'mutual-tls-the-client-proves-who-it-is' },
    spec: 'RFC 8446 §4.3.2, RFC 5246 §7.4.4',
  },
  {
    id: 'premaster-secret',
    term: 'Premaster secret',
    definition:
      'The secret a TLS 1.2 key exchange produces: 48 bytes chosen by the client and encrypted to the server’s RSA key, or the shared secret of a Diffie-Hellman exchange. It is used only to derive the master secret, then discarded.',
    see: { chapter: 'https', section: 'randoms-the-premaster-secret-and-the-master-secret' },
    spec: 'RFC 5246 §8.1',
  },
  {
    id: 'prf',
    term: 'PRF (TLS 1.2 pseudorandom function)',
    definition:
      'The function TLS 1.2 uses to turn a secret, a label and a seed into as many bytes as needed, by chaining HMACs (P_SHA256, or the suite’s hash). It derives the master secret, the key block and the Finished values.',
    see: { chapter: 'https', section: 'the-prf' },
    spec: 'RFC 5246 §5',
  },
  {
    id: 'psk',
    term: 'PSK (pre-shared key)',
    definition:
      'In TLS 1.3, a secret both sides already hold when a handshake starts: one from a session ticket of an earlier connection (resumption), or one configured out of band. It replaces the certificate, and, with psk_dhe_ke, is combined with a fresh Diffie-Hellman exchange.',
    see: { chapter: 'https', section: 'psk_ke-and-psk_dhe_ke' },
    spec: 'RFC 8446 §2.2, §4.2.9',
  },
  {
    id: 'session-ticket',
    term: 'Session ticket',
    definition:
      'An opaque blob a server gives the client in a NewSessionTicket message, usually the session’s secret encrypted under a key only the server knows, so that the client can resume later without the server storing anything. TLS 1.2 sends it in the clear; TLS 1.3 sends it encrypted, after the handshake.',
    see: { chapter: 'https', section: 'session-tickets' },
    spec: 'RFC 5077; RFC 8446 §4.6.1',
  },
  {
    id: 'rtmp-handshake',
    term: 'RTMP handshake',
    definition:
      'The three packets each side sends before anything else on an RTMP connection: C0/S0, one version byte (3); C1/S1, 1,536 bytes of time, zeros and random data; C2/S2, an echo of the peer’s C1 or S1. The client may send its first command only once S2 has arrived, so the handshake costs one round trip.',
    see: { chapter: 'rtmp', section: 'the-handshake' },
  },
  {
    id: 'chunk-stream',
    term: 'Chunk stream (RTMP)',
    definition:
      'The layer of RTMP that cuts every message into chunks of at most the current chunk size (128 bytes until Set Chunk Size changes it), each with a 1–3-byte basic header naming its chunk stream and a message header of 0, 3, 7 or 11 bytes, so that audio, video and commands interleave on one TCP connection.',
    see: { chapter: 'rtmp', section: 'the-chunk-stream' },
  },
  {
    id: 'amf0',
    term: 'AMF0 (Action Message Format 0)',
    definition:
      'The binary encoding of RTMP’s commands and metadata: each value is a one-byte marker (0 number, 1 boolean, 2 string, 3 object, 5 null, 8 ECMA array, …) followed by its bytes, big-endian, with 64-bit floating-point numbers and strings prefixed by their length.',
    see: { chapter: 'rtmp', section: 'from-connect-to-the-first-frame' },
  },
  {
    id: 'group-of-pictures',
    term: 'Group of pictures (GOP), keyframe interval',
    definition:
      'A keyframe, which decodes on its own, and the frames that refer to it, up to the next keyframe. Players can start, and segmenters cut, only at keyframes, so the keyframe interval (often 1–2 s for live streams) bounds how fast a viewer joins and how short a segment can be.',
    see: { chapter: 'rtmp', section: 'where-the-seconds-go' },
  },
  {
    id: 'srt',
    term: 'SRT (Secure Reliable Transport)',
    definition:
      'A protocol for contribution links that sends media over UDP, retransmits lost packets after NAKs, and delivers each packet at its timestamp plus a fixed latency (120 ms by default), dropping those that are still missing when their time comes.',
    see: { chapter: 'rtmp', section: 'what-the-alternatives-change' },
  },
  {
    id: 'll-hls',
    term: 'Low-latency HLS',
    definition:
      'HLS with partial segments of a fraction of a second, published as they are encoded, blocking playlist reloads and preload hints, so that a player can stay about three parts behind the live edge instead of three whole segments.',
    see: { chapter: 'rtmp', section: 'what-the-alternatives-change' },
  },
  {
    id: 'jitter-buffer',
    term: 'Jitter buffer',
    definition:
      'A receiver’s queue that holds media packets briefly and plays them out at a steady pace, so that packets arriving early or late by up to its depth still play on time. Real-time media keep it to tens of milliseconds and adapt it to the path.',
    see: { chapter: 'rtmp', section: 'what-the-alternatives-change' },
  },
  {
    id: 'infohash',
    term: 'Infohash',
    definition:
      'The SHA-1 of a torrent’s bencoded info dictionary, exactly as it appears in the .torrent file: the 20-byte name by which trackers, the DHT and peers know the torrent, and the part of a magnet link that identifies it.',
    see: { chapter: 'p2p', section: 'a-torrent-and-its-infohash' },
  },
  {
    id: 'dht',
    term: 'DHT (distributed hash table)',
    definition:
      'A key-value map spread over many nodes, in which the nodes themselves agree, by hashing keys and node ids into one space, which node holds which key, so that any node can find any key without a central index. BitTorrent’s DHT is Kademlia.',
    see: { chapter: 'p2p', section: 'a-distributed-hash-table-kademlia' },
  },
  {
    id: 'xor-metric',
    term: 'XOR metric',
    definition:
      'Kademlia’s distance between two ids: their bitwise exclusive or, read as an unsigned integer. A longer shared prefix means a smaller distance, and for each id and distance exactly one other id lies at that distance, so lookups for one key converge.',
    see: { chapter: 'p2p', section: 'the-xor-metric' },
  },
  {
    id: 'k-bucket',
    term: 'k-bucket',
    definition:
      'A list of at most k contacts whose XOR distance from a node lies in one range [2^i, 2^(i+1)), kept in order of when each was last seen. When it is full, the least recently seen contact is pinged and kept if it answers; a newcomer replaces it only if it does not.',
    see: { chapter: 'p2p', section: 'k-buckets' },
  },
  {
    id: 'rarest-first',
    term: 'Rarest first',
    definition:
      'BitTorrent’s piece-selection rule: request the piece that the fewest connected peers have, so that rare pieces are copied before the peers holding them leave and the swarm’s copies stay even.',
    see: { chapter: 'p2p', section: 'choosing-pieces-and-peers' },
  },
  {
    id: 'endgame-mode',
    term: 'Endgame mode',
    definition:
      'The end of a BitTorrent download: once every missing block has been requested, request each from every peer that has it and cancel the duplicates as blocks arrive, so that the download ends at the speed of the fastest peer rather than the slowest.',
    see: { chapter: 'p2p', section: 'the-last-one-percent' },
  },
];

/** The entry for `id`; an unknown id throws, naming it and the ids that exist. */
export function glossaryEntry(id: string): GlossaryEntry {
  const e = GLOSSARY.find((x) => x.id === id);
  if (!e) throw new Error(`glossary: unknown term id "${id}" (add it to src/book/glossary.ts; known ids: ${GLOSSARY.map((x) => x.id).join(', ')})`);
  return e;
}

/** The glossary page's address for a term. */
export const glossaryHref = (id: string) => `/glossary/#${id}`;

/** The definition as one line of plain text, short enough for a tooltip (the title attribute). */
export function shortDefinition(e: GlossaryEntry): string {
  const first = /^.*?[.!?](?=\s|$)/.exec(e.definition)?.[0] ?? e.definition;
  return `${e.term}: ${first}`;
}
