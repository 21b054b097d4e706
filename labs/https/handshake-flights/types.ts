/**
 * The types, constants and error of the handshake-flights lab (provided, read-only). The tests
 * check an error's class name and `code`, never its message.
 */

export type Party = 'client' | 'server';

/**
 * What protects a message on the wire.
 * - `plaintext`: nothing (TLS 1.2 before ChangeCipherSpec, TLS 1.3's hellos, every ChangeCipherSpec).
 * - `initial`: QUIC's Initial packet keys, which anyone can derive (RFC 9001 §5.2).
 * - `early`: keys from client_early_traffic_secret (0-RTT).
 * - `handshake`: keys from the [sender]_handshake_traffic_secret (TLS 1.3's `{...}`).
 * - `application`: keys from the [sender]_application_traffic_secret_0 (TLS 1.3's `[...]`); in
 *   TLS 1.2, the one set of keys cut from the key block, which protects Finished and application
 *   data alike.
 */
export type Protection = 'plaintext' | 'initial' | 'early' | 'handshake' | 'application';

/** RFC message names; `ApplicationData` is the client's request, the first application bytes. */
export type MessageName =
  | 'ClientHello'
  | 'HelloRetryRequest'
  | 'ServerHello'
  | 'EncryptedExtensions'
  | 'Certificate'
  | 'ServerKeyExchange'
  | 'CertificateRequest'
  | 'ServerHelloDone'
  | 'ClientKeyExchange'
  | 'CertificateVerify'
  | 'ChangeCipherSpec'
  | 'NewSessionTicket'
  | 'EndOfEarlyData'
  | 'Finished'
  | 'ApplicationData';

export interface Message { name: MessageName; key: Protection }

/** Everything one side sends before it must wait for the other. */
export interface Flight { from: Party; messages: Message[] }

/** TLS 1.2 (RFC 5246 §7.3). */
export interface Tls12 {
  protocol: 'tls1.2';
  /** `full`: Figure 1; `resumed`: the abbreviated handshake of Figure 2. */
  mode: 'full' | 'resumed';
  /** The key exchange of a full handshake: ECDHE (the default) or RSA key transport. */
  keyExchange?: 'ecdhe' | 'rsa';
  /** The server asks for a client certificate (full handshakes only). */
  mutual?: boolean;
  /** The client sends its request right after its Finished (RFC 7918; full ECDHE handshakes only). */
  falseStart?: boolean;
  /** The server sends a NewSessionTicket (RFC 5077) in this handshake. */
  ticket?: boolean;
}

/** TLS 1.3 over TCP (RFC 8446 §2). */
export interface Tls13 {
  protocol: 'tls1.3';
  /** `full`: Figure 1; `hrr`: Figure 2; `psk`: resumption, Figure 3; `0rtt`: Figure 4. */
  mode: 'full' | 'hrr' | 'psk' | '0rtt';
  /** The server asks for a client certificate (not with a PSK). */
  mutual?: boolean;
  /** Middlebox compatibility mode (RFC 8446 Appendix D.4): the dummy ChangeCipherSpec records. */
  compat?: boolean;
}

/** QUIC version 1 carrying TLS 1.3 (RFC 9000 §7, RFC 9001). */
export interface Quic {
  protocol: 'quic';
  mode: 'full' | 'hrr' | 'psk' | '0rtt';
  mutual?: boolean;
}

export type Handshake = Tls12 | Tls13 | Quic;

// ---- Task 2 --------------------------------------------------------------------------------

/** The network, in milliseconds. */
export interface Network {
  /** One round trip to the server. */
  rtt: number;
  /** The DNS lookup before anything else (0 or absent: the address is known). */
  dns?: number;
  /** The server's time between the request and the first byte of its response. */
  server?: number;
  /** TCP Fast Open (RFC 7413) with a cookie: the ClientHello rides on the SYN. TCP only. */
  fastOpen?: boolean;
  /** A QUIC server answers the first Initial with a Retry (RFC 9000 §8.1.2). QUIC only. */
  retry?: boolean;
  /** Round trips lost elsewhere before the request can leave, such as to the amplification limit (task 4). */
  extraRoundTrips?: number;
}

export interface Timing {
  /** Round trips from the client's first packet to the first byte of the response (DNS not included). */
  roundTrips: number;
  /** When the request leaves the client, from the start of the DNS lookup. */
  requestSent: number;
  /** When the first byte of the response arrives. */
  firstByte: number;
}

// ---- Task 3 --------------------------------------------------------------------------------

/**
 * The sizes a flight's bytes are computed from. Message sizes are body lengths, without the
 * 4-byte handshake header. The messages whose size depends on their extensions are given as
 * measured; the model computes the others. A field a handshake does not use may be absent.
 */
export interface Sizes {
  clientHello: number;
  /** The second ClientHello, after a HelloRetryRequest. */
  clientHelloAfterRetry?: number;
  serverHello: number;
  helloRetryRequest?: number;
  /** TLS 1.3 and QUIC. */
  encryptedExtensions?: number;
  /** Mutual TLS. */
  certificateRequest?: number;
  /** TLS 1.2 with `ticket`. */
  newSessionTicket?: number;
  /** DER lengths of the server's certificates, leaf first (handshakes with a Certificate). */
  serverChain?: number[];
  /** Bytes of the server's signature, in ServerKeyExchange (TLS 1.2 ECDHE) or CertificateVerify (TLS 1.3). */
  serverSignature?: number;
  /** DER lengths of the client's certificates (mutual TLS). */
  clientChain?: number[];
  /** Bytes of the client's signature in its CertificateVerify (mutual TLS). */
  clientSignature?: number;
  /** TLS 1.2 ECDHE: bytes of each side's public value (32 for X25519, 65 for an uncompressed P-256 point). */
  keyShare?: number;
  /** TLS 1.2 RSA key transport: bytes of the RSA modulus (256 for RSA-2048). */
  rsaModulus?: number;
  /** TLS 1.3 and QUIC: the suite's hash length, which is the Finished's (32 for SHA-256, 48 for SHA-384). */
  hashLength?: number;
  /** TLS 1.2: bytes of explicit nonce in each encrypted record (8 for AES-GCM, 0 for ChaCha20-Poly1305). */
  explicitNonce?: number;
  /** Bytes of the client's request; 0: it sends none, and ApplicationData costs nothing. */
  request: number;
}

export interface MessageBytes { name: MessageName; bytes: number }
export interface FlightBytes { from: Party; messages: MessageBytes[]; bytes: number }

/** The most content one TLS record carries (RFC 5246 §6.2.1, RFC 8446 §5.1). */
export const MAX_FRAGMENT = 16384;
/** Type, version and length in front of every record. */
export const RECORD_HEADER = 5;
/** Type and 3-byte length in front of every handshake message. */
export const HANDSHAKE_HEADER = 4;
/** The AEAD tag of every cipher suite in this lab (AES-GCM, ChaCha20-Poly1305). */
export const AEAD_TAG = 16;
/** A handshake message body and a handshake list are at most 2^24 − 1 bytes (3-byte lengths). */
export const MAX_BODY = 0xffffff;

// ---- Task 4 --------------------------------------------------------------------------------

/**
 * The lab's QUIC packet model (bytes). Connection IDs of 8 bytes each way, no token, a 2-byte
 * Length and a 2-byte packet number; each packet carries one CRYPTO frame whose offset and
 * length are written as 2-byte varints.
 */
export const QUIC = {
  /** Every datagram in this model is at most this big, and one that carries an Initial packet is padded to it (RFC 9000 §14.1). */
  datagram: 1200,
  /** An Initial packet besides its CRYPTO data: header 28 (1 + 4 + 1 + 8 + 1 + 8 + 1 + 2 + 2), CRYPTO frame header 5, AEAD tag 16. */
  initialOverhead: 49,
  /** A Handshake packet besides its CRYPTO data: header 27 (no token length), CRYPTO frame header 5, AEAD tag 16. */
  handshakeOverhead: 48,
  /** The ACK frame in the server's first Initial packet, acknowledging the client's. */
  serverAck: 5,
  /** Before it has validated the client's address, a server sends at most this many times what it received (RFC 9000 §8.1). */
  amplificationFactor: 3,
} as const;

export interface AmplificationInput {
  /** ClientHello bytes (header and body) in the client's Initial packets. */
  clientHello: number;
  /** Bytes of TLS messages (headers included) the server sends in Initial packets: the ServerHello. */
  serverInitial: number;
  /** Bytes of TLS messages the server sends in Handshake packets: EncryptedExtensions to Finished. */
  serverHandshake: number;
  /** The client's address is already validated: after a Retry, or with a NEW_TOKEN token. */
  validated?: boolean;
}

export interface Amplification {
  /** Bytes the server received in the client's first flight (its padded datagrams). */
  received: number;
  /** The most the server may send before the address is validated (Infinity once validated). */
  limit: number;
  /** Sizes of the datagrams of the server's first flight. */
  datagrams: number[];
  /** Their sum. */
  needed: number;
  /** What the server can send at once: whole datagrams, in order, while the sum stays within the limit. */
  sent: number;
  fits: boolean;
  /** Round trips the limit adds before the client has the server's whole flight. */
  extraRoundTrips: number;
}

// ---- Errors ------------------------------------------------------------------------------------

export type FlightErrorCode =
  /** A protocol or mode this model does not know. */
  | 'unknown-handshake'
  /** False Start on an abbreviated handshake, or without ECDHE (RFC 7918 §3, §4). */
  | 'bad-false-start'
  /** A client certificate asked for on a resumed TLS 1.2 or a PSK TLS 1.3 handshake (RFC 8446 §4.3.2). */
  | 'mutual-resumed'
  /** fastOpen for QUIC, or retry for TCP. */
  | 'wrong-transport'
  /** A delay that is negative or not a finite number, or extraRoundTrips that is not an integer from 0. */
  | 'bad-delay'
  /** A size that is not an integer from 0 to MAX_BODY (a certificate: from 1), or an empty chain. */
  | 'bad-size'
  /** A size this handshake needs is absent. */
  | 'missing-size'
  /** A message whose computed body exceeds MAX_BODY. */
  | 'too-large';

export class FlightError extends Error {
  readonly name = 'FlightError';
  readonly code: FlightErrorCode;
  constructor(code: FlightErrorCode, message?: string) {
    super(message ?? code);
    this.code = code;
  }
}
