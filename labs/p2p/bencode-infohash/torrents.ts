/**
 * Real .torrent files (provided, read-only), as hex, with what Transmission prints for them.
 *
 * Each was made once on a Debian 12 machine, from files whose bytes are content(seed, length)
 * below, by the command in its `command` field, run in the directory holding the content:
 * mktorrent 1.1 and transmission-create 3.00 (bb6b5a062e). The `shown` fields are what
 * `transmission-show -u` and `transmission-show -m` (3.00) printed for the file, with TZ=UTC.
 * mktorrent's -d leaves the creation date out; transmission-create always writes one.
 * The peer test (tests/peers/p2p-bencode-infohash.peer.test.ts) makes torrents like these afresh
 * on every run, with more piece lengths, and compares them with transmission-show again.
 */

/**
 * The bytes of a content file: xorshift32 from a seed, so the tests can rebuild every file a
 * torrent describes and check its pieces without storing a byte of it.
 */
export function content(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (seed * 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    // xorshift32 (Marsaglia 2003): cheap, and no two pieces of a file come out alike.
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export interface FixtureFile {
  /** The file's path inside the torrent: [] for a single-file torrent (the file is the name). */
  path: string[];
  length: number;
  /** Its bytes are content(seed, length). */
  seed: number;
}

export interface Fixture {
  id: string;
  maker: 'mktorrent' | 'transmission-create';
  /** The command that made it. */
  command: string;
  /** info.name. */
  name: string;
  /** The content files, in the order the torrent lists them. */
  files: FixtureFile[];
  /** The .torrent file. */
  hex: string;
  /** What transmission-show 3.00 printed for it. */
  shown: {
    /** "Hash:" */
    hash: string;
    /** transmission-show -m */
    magnet: string;
    /** "Piece Count:" */
    pieceCount: number;
    /** "Piece Size:" */
    pieceSize: string;
    /** "Privacy:" */
    privacy: 'Public torrent' | 'Private torrent';
    /** "Created by:" */
    createdBy: string;
    /** "Created on:" (ctime's format, in UTC), or "Unknown". */
    createdOn: string;
    /** "Comment:", or null when it printed none. */
    comment: string | null;
    /** TRACKERS, tier by tier. */
    tiers: string[][];
    /** FILES (-u: in the torrent's order), without their sizes. */
    files: string[];
  };
}

export const FIXTURES: Fixture[] = [
  {
    id: 'MKTORRENT_SINGLE',
    maker: 'mktorrent',
    command: "mktorrent -d -l 15 -a http://127.0.0.1:6969/announce -c 'One file, 32 KiB pieces' -o out.torrent movie.bin",
    name: "movie.bin",
    files: [
      { path: [], length: 100000, seed: 1 },
    ],
    hex:
    '64383a616e6e6f756e636533303a687474703a2f2f3132372e302e302e313a363936392f616e6e6f756e6365373a636f' +
    '6d6d656e7432333a4f6e652066696c652c203332204b69422070696563657331303a6372656174656420627931333a6d' +
    '6b746f7272656e7420312e31343a696e666f64363a6c656e6774686931303030303065343a6e616d65393a6d6f766965' +
    '2e62696e31323a7069656365206c656e67746869333237363865363a70696563657338303acc723132f38f7a314aa0a3' +
    'dadb689b046d5891be4a31dc3e183f8728e3d6659eac20b124ec2a140aa955688d231c5a539921030d128b2c5257200b' +
    'dda4000facd21ea395d66ecc4f6e9688421f1d6a326565',
    shown: {
      hash: 'e252901635783b0a9c3e85a8d0b4fb3f7aba7611',
      magnet: "magnet:?xt=urn:btih:e252901635783b0a9c3e85a8d0b4fb3f7aba7611&dn=movie.bin&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce",
      pieceCount: 4,
      pieceSize: '32.00 KiB',
      privacy: 'Public torrent',
      createdBy: "mktorrent 1.1",
      createdOn: "Unknown",
      comment: "One file, 32 KiB pieces",
      tiers: [["http://127.0.0.1:6969/announce"]],
      files: ["movie.bin"],
    },
  },
  {
    id: 'MKTORRENT_MULTI_PRIVATE',
    maker: 'mktorrent',
    command: "mktorrent -d -p -l 16 -a http://127.0.0.1:6969/announce -a udp://127.0.0.1:6969 -a 'http://127.0.0.1:6970/a,http://127.0.0.1:6971/b' -o out.torrent album",
    name: "album",
    files: [
      { path: ["01 intro.txt"], length: 5000, seed: 2 },
      { path: ["cover.jpg"], length: 40000, seed: 3 },
      { path: ["disc 2","track 1.bin"], length: 90000, seed: 4 },
      { path: ["empty.txt"], length: 0, seed: 0 },
    ],
    hex:
    '64383a616e6e6f756e636533303a687474703a2f2f3132372e302e302e313a363936392f616e6e6f756e636531333a61' +
    '6e6e6f756e63652d6c6973746c6c33303a687474703a2f2f3132372e302e302e313a363936392f616e6e6f756e636565' +
    '6c32303a7564703a2f2f3132372e302e302e313a36393639656c32333a687474703a2f2f3132372e302e302e313a3639' +
    '37302f6132333a687474703a2f2f3132372e302e302e313a363937312f62656531303a6372656174656420627931333a' +
    '6d6b746f7272656e7420312e31343a696e666f64353a66696c65736c64363a6c656e677468693530303065343a706174' +
    '686c31323a303120696e74726f2e747874656564363a6c656e67746869343030303065343a706174686c393a636f7665' +
    '722e6a7067656564363a6c656e67746869393030303065343a706174686c363a64697363203231313a747261636b2031' +
    '2e62696e656564363a6c656e677468693065343a706174686c393a656d7074792e747874656565343a6e616d65353a61' +
    '6c62756d31323a7069656365206c656e67746869363535333665363a70696563657336303ae6c52338efa1cf95062715' +
    '58372fe7a1c6f933846b1184bda9c715728125ba53089611a8bd1529e66c4c81a95220c237e2c5aa92f1a6c03ce4c29b' +
    '53373a707269766174656931656565',
    shown: {
      hash: '93fbc16ed3bf43fb4e0bf8e0ce7b75a0e73bc341',
      magnet: "magnet:?xt=urn:btih:93fbc16ed3bf43fb4e0bf8e0ce7b75a0e73bc341&dn=album&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce&tr=udp%3A%2F%2F127.0.0.1%3A6969&tr=http%3A%2F%2F127.0.0.1%3A6970%2Fa&tr=http%3A%2F%2F127.0.0.1%3A6971%2Fb",
      pieceCount: 3,
      pieceSize: '64.00 KiB',
      privacy: 'Private torrent',
      createdBy: "mktorrent 1.1",
      createdOn: "Unknown",
      comment: null,
      tiers: [["http://127.0.0.1:6969/announce"],["udp://127.0.0.1:6969"],["http://127.0.0.1:6970/a","http://127.0.0.1:6971/b"]],
      files: ["album/01 intro.txt","album/cover.jpg","album/disc 2/track 1.bin","album/empty.txt"],
    },
  },
  {
    id: 'TRANSMISSION_SINGLE_PRIVATE',
    maker: 'transmission-create',
    command: "transmission-create -p -s 16 -t http://127.0.0.1:6969/announce -c 'Private, 16 KiB pieces' -o out.torrent notes.txt",
    name: "notes.txt",
    files: [
      { path: [], length: 50000, seed: 5 },
    ],
    hex:
    '64383a616e6e6f756e636533303a687474703a2f2f3132372e302e302e313a363936392f616e6e6f756e6365373a636f' +
    '6d6d656e7432323a507269766174652c203136204b69422070696563657331303a6372656174656420627933303a5472' +
    '616e736d697373696f6e2f332e30302028626236623561303632652931333a6372656174696f6e206461746569313739' +
    '3636363137383665383a656e636f64696e67353a5554462d38343a696e666f64363a6c656e6774686935303030306534' +
    '3a6e616d65393a6e6f7465732e74787431323a7069656365206c656e67746869313633383465363a7069656365733830' +
    '3a648ec7b4d353f0b65c226b9cd356e458bc2a8d5e5e3ee54bec0f0ea66f89bac5df6c7e6348212706a262e245e0f132' +
    '4c874a324a577c41637663b5dd560ca837a659b7838c23f3b6220e49676f19e48c373a707269766174656931656565',
    shown: {
      hash: 'ef829727741fb7af4a36f402545ee3a4f9eb7527',
      magnet: "magnet:?xt=urn:btih:ef829727741fb7af4a36f402545ee3a4f9eb7527&dn=notes.txt&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce",
      pieceCount: 4,
      pieceSize: '16.00 KiB',
      privacy: 'Private torrent',
      createdBy: "Transmission/3.00 (bb6b5a062e)",
      createdOn: "Mon Dec  7 16:43:06 2026",
      comment: "Private, 16 KiB pieces",
      tiers: [["http://127.0.0.1:6969/announce"]],
      files: ["notes.txt"],
    },
  },
  {
    id: 'TRANSMISSION_MULTI',
    maker: 'transmission-create',
    command: "transmission-create -s 32 -o out.torrent src",
    name: "src",
    files: [
      { path: ["a.c"], length: 1000, seed: 6 },
      { path: ["lib","ünïcødé ☃.h"], length: 3000, seed: 8 },
      { path: ["lib","b.c"], length: 94304, seed: 7 },
    ],
    hex:
    '6431303a6372656174656420627933303a5472616e736d697373696f6e2f332e30302028626236623561303632652931' +
    '333a6372656174696f6e2064617465693137393636363137383765383a656e636f64696e67353a5554462d38343a696e' +
    '666f64353a66696c65736c64363a6c656e677468693130303065343a706174686c333a612e63656564363a6c656e6774' +
    '68693330303065343a706174686c333a6c696231373ac3bc6ec3af63c3b864c3a920e298832e68656564363a6c656e67' +
    '746869393433303465343a706174686c333a6c6962333a622e63656565343a6e616d65333a73726331323a7069656365' +
    '206c656e67746869333237363865363a70696563657336303a76a8c2a843786e9551fb852f44a03c069aa4d034b9ced6' +
    '46f68c534882ce32d51a43f026290fc5e3ccbfe7106ec687a81da6d855ae941b0413195b7a373a707269766174656930' +
    '656565',
    shown: {
      hash: 'efed64d57e08a9ddf2d675a1083fa1bcda2dc3be',
      magnet: "magnet:?xt=urn:btih:efed64d57e08a9ddf2d675a1083fa1bcda2dc3be&dn=src",
      pieceCount: 3,
      pieceSize: '32.00 KiB',
      privacy: 'Public torrent',
      createdBy: "Transmission/3.00 (bb6b5a062e)",
      createdOn: "Mon Dec  7 16:43:07 2026",
      comment: null,
      tiers: [],
      files: ["src/a.c","src/lib/ünïcødé ☃.h","src/lib/b.c"],
    },
  },
  {
    id: 'MKTORRENT_ODD_NAME',
    maker: 'mktorrent',
    command: "mktorrent -d -l 15 -a 'http://127.0.0.1:6969/announce?passkey=ab12&x=1' -o out.torrent \"Café ☃ (1) [x]_~!-'.txt\"",
    name: "Café ☃ (1) [x]_~!-'.txt",
    files: [
      { path: [], length: 10, seed: 9 },
    ],
    hex:
    '64383a616e6e6f756e636534373a687474703a2f2f3132372e302e302e313a363936392f616e6e6f756e63653f706173' +
    '736b65793d6162313226783d3131303a6372656174656420627931333a6d6b746f7272656e7420312e31343a696e666f' +
    '64363a6c656e67746869313065343a6e616d6532363a436166c3a920e2988320283129205b785d5f7e212d272e747874' +
    '31323a7069656365206c656e67746869333237363865363a70696563657332303a2bbbd5d83e5ce4db964faa509798d0' +
    '7d7b8489e46565',
    shown: {
      hash: '5acb6258feb49f26ff970e3e289e4e1c2eda5c33',
      magnet: "magnet:?xt=urn:btih:5acb6258feb49f26ff970e3e289e4e1c2eda5c33&dn=Caf%C3%A9%20%E2%98%83%20%281%29%20%5Bx%5D%5F%7E%21-%27.txt&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce%3Fpasskey%3Dab12%26x%3D1",
      pieceCount: 1,
      pieceSize: '32.00 KiB',
      privacy: 'Public torrent',
      createdBy: "mktorrent 1.1",
      createdOn: "Unknown",
      comment: null,
      tiers: [["http://127.0.0.1:6969/announce?passkey=ab12&x=1"]],
      files: ["Café ☃ (1) [x]_~!-'.txt"],
    },
  },
];
