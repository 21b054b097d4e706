/**
 * Real AMF0 message bodies (provided, read-only), as hex: the payloads of every command (type 20)
 * and data message (type 18) of two RTMP connections on 127.0.0.1, each reassembled from its
 * chunks after the handshake.
 *
 * - ffmpeg publishing 160x120 testsrc (H.264) to nginx-rtmp, `application live { live on; record off; }`:
 *     ffmpeg -re -f lavfi -i testsrc=size=160x120:rate=10 -t 60 -c:v libx264 -g 10 -tune zerolatency -f flv rtmp://127.0.0.1:PORT/live/s
 *   stopped with SIGINT once the player below had its metadata (so it sends FCUnpublish and deleteStream);
 * - rtmpdump playing that stream: rtmpdump -v -r rtmp://127.0.0.1:PORT/live/s -o /dev/null.
 * Each went through a TCP relay that kept its bytes, so PORT in the tcUrl strings is the relay's.
 *
 * Captured once with ffmpeg version 5.1.9-0+deb12u1 (libavformat 59.27.100), nginx/1.22.1,
 * Debian's libnginx-mod-rtmp 1:1.2.2+dfsg-3 and RTMPDump v2.4. The peer test
 * (tests/peers/rtmp-amf0.peer.test.ts) captures both connections afresh on every run.
 * nginx's _result to rtmpdump's connect was byte for byte NGINX_CONNECT_RESULT, so it is not repeated.
 */

export interface Capture {
  /** The constant's name. */
  name: string;
  from: 'ffmpeg' | 'rtmpdump' | 'nginx';
  to: 'ffmpeg' | 'rtmpdump' | 'nginx';
  /** The RTMP message type: 20 for an AMF0 command, 18 for AMF0 data. */
  type: 18 | 20;
  /** The message stream id the message travelled on (0 is the connection itself). */
  streamId: number;
  /** The message body. */
  hex: string;
}

/** ffmpeg: connect, transaction 1, with app, type, flashVer and tcUrl (the port is the relay's). */
export const FFMPEG_CONNECT =
  '020007636f6e6e656374003ff00000000000000300036170700200046c69766500047479706502000a6e6f6e707269766174650008666c61' +
  '7368566572020024464d4c452f332e302028636f6d70617469626c653b204c61766635392e32372e313030290005746355726c02001b7274' +
  '6d703a2f2f3132372e302e302e313a33393936312f6c697665000009';

/** ffmpeg: releaseStream('s'), transaction 2: not in the RTMP specification; FMLE sent it, nginx ignores it. */
export const FFMPEG_RELEASE_STREAM =
  '02000d72656c6561736553747265616d0040000000000000000502000173';

/** ffmpeg: FCPublish('s'), transaction 3, another FMLE command nginx ignores. */
export const FFMPEG_FCPUBLISH =
  '02000946435075626c6973680040080000000000000502000173';

/** ffmpeg: createStream, transaction 4, no arguments. */
export const FFMPEG_CREATE_STREAM =
  '02000c63726561746553747265616d00401000000000000005';

/** ffmpeg: publish('s', 'live') on message stream 1, transaction 5. */
export const FFMPEG_PUBLISH =
  '0200077075626c69736800401400000000000005020001730200046c697665';

/** ffmpeg: the data message (type 18) @setDataFrame, 'onMetaData', and an ECMA array of 8 properties whose count says 8. */
export const FFMPEG_SET_DATA_FRAME =
  '02000d40736574446174614672616d6502000a6f6e4d65746144617461080000000800086475726174696f6e00404e000000000000000577' +
  '69647468004064000000000000000668656967687400405e000000000000000d766964656f64617461726174650000000000000000000009' +
  '6672616d6572617465004024000000000000000c766964656f636f646563696400401c0000000000000007656e636f64657202000d4c6176' +
  '6635392e32372e313030000866696c6573697a65000000000000000000000009';

/** ffmpeg, stopping: FCUnpublish('s'), transaction 6. */
export const FFMPEG_FCUNPUBLISH =
  '02000b4643556e7075626c6973680040180000000000000502000173';

/** ffmpeg, stopping: deleteStream(1), transaction 7. */
export const FFMPEG_DELETE_STREAM =
  '02000c64656c65746553747265616d00401c00000000000005003ff0000000000000';

/** nginx-rtmp: _result to connect, transaction 1: fmsVer and capabilities, then the NetConnection.Connect.Success information object. */
export const NGINX_CONNECT_RESULT =
  '0200075f726573756c74003ff0000000000000030006666d7356657202000d464d532f332c302c312c313233000c6361706162696c697469' +
  '657300403f0000000000000000090300056c6576656c0200067374617475730004636f646502001d4e6574436f6e6e656374696f6e2e436f' +
  '6e6e6563742e53756363657373000b6465736372697074696f6e020015436f6e6e656374696f6e207375636365656465642e000e6f626a65' +
  '6374456e636f64696e67000000000000000000000009';

/** nginx-rtmp: _result to ffmpeg's createStream, transaction 4: the new message stream id, 1. */
export const NGINX_CREATE_STREAM_RESULT =
  '0200075f726573756c7400401000000000000005003ff0000000000000';

/** nginx-rtmp: onStatus NetStream.Publish.Start on stream 1, transaction 0, command object null. */
export const NGINX_PUBLISH_START =
  '0200086f6e537461747573000000000000000000050300056c6576656c0200067374617475730004636f64650200174e657453747265616d' +
  '2e5075626c6973682e5374617274000b6465736372697074696f6e0200105374617274207075626c697368696e67000009';

/** nginx-rtmp: onStatus NetStream.Unpublish.Success, after FCUnpublish. */
export const NGINX_UNPUBLISH_SUCCESS =
  '0200086f6e537461747573000000000000000000050300056c6576656c0200067374617475730004636f646502001b4e657453747265616d' +
  '2e556e7075626c6973682e53756363657373000b6465736372697074696f6e02000f53746f70207075626c697368696e67000009';

/** rtmpdump: connect for playing: flashVer "LNX 10,0,32,18", fpad false, capabilities 15, audioCodecs 3191, videoCodecs 252, videoFunction 1. */
export const RTMPDUMP_CONNECT =
  '020007636f6e6e656374003ff00000000000000300036170700200046c6976650008666c61736856657202000e4c4e582031302c302c3332' +
  '2c31380005746355726c02001b72746d703a2f2f3132372e302e302e313a34343037372f6c6976650004667061640100000c636170616269' +
  '6c697469657300402e000000000000000b617564696f436f646563730040a8ee0000000000000b766964656f436f6465637300406f800000' +
  '000000000d766964656f46756e6374696f6e003ff0000000000000000009';

/** rtmpdump: createStream, transaction 2. */
export const RTMPDUMP_CREATE_STREAM =
  '02000c63726561746553747265616d00400000000000000005';

/** rtmpdump: FCSubscribe('s'), transaction 3 (a CDN command; nginx ignores it). */
export const RTMPDUMP_FCSUBSCRIBE =
  '02000b46435375627363726962650040080000000000000502000173';

/** rtmpdump: play('s', -1000) on stream 1, transaction 4: start -1000 means "live, or else recorded". */
export const RTMPDUMP_PLAY =
  '020004706c6179004010000000000000050200017300c08f400000000000';

/** nginx-rtmp: _result to rtmpdump's createStream, transaction 2: stream id 1. */
export const NGINX_CREATE_STREAM_RESULT_TO_RTMPDUMP =
  '0200075f726573756c7400400000000000000005003ff0000000000000';

/** nginx-rtmp: onStatus NetStream.Play.Start on stream 1. */
export const NGINX_PLAY_START =
  '0200086f6e537461747573000000000000000000050300056c6576656c0200067374617475730004636f64650200144e657453747265616d' +
  '2e506c61792e5374617274000b6465736372697074696f6e02000a5374617274206c697665000009';

/** nginx-rtmp: the data message |RtmpSampleAccess, true, true (Flash players may read the audio and video). */
export const NGINX_SAMPLE_ACCESS =
  '0200117c52746d7053616d706c6541636365737301010101';

/** nginx-rtmp: onMetaData for the player, rebuilt as an object (not an ECMA array); profile and level are 32 NUL bytes each. */
export const NGINX_ON_METADATA =
  '02000a6f6e4d6574614461746103000653657276657202002e4e47494e582052544d5020286769746875622e636f6d2f617275742f6e6769' +
  '6e782d72746d702d6d6f64756c652900057769647468004064000000000000000668656967687400405e000000000000000c646973706c61' +
  '795769647468004064000000000000000d646973706c617948656967687400405e00000000000000086475726174696f6e00404e00000000' +
  '000000096672616d65726174650040240000000000000003667073004024000000000000000d766964656f64617461726174650000000000' +
  '00000000000c766964656f636f646563696400401c000000000000000d617564696f6461746172617465000000000000000000000c617564' +
  '696f636f6465636964000000000000000000000770726f66696c650200200000000000000000000000000000000000000000000000000000' +
  '00000000000000056c6576656c0200200000000000000000000000000000000000000000000000000000000000000000000009';

export const CAPTURES: readonly Capture[] = [
  { name: 'FFMPEG_CONNECT', from: 'ffmpeg', to: 'nginx', type: 20, streamId: 0, hex: FFMPEG_CONNECT },
  { name: 'FFMPEG_RELEASE_STREAM', from: 'ffmpeg', to: 'nginx', type: 20, streamId: 0, hex: FFMPEG_RELEASE_STREAM },
  { name: 'FFMPEG_FCPUBLISH', from: 'ffmpeg', to: 'nginx', type: 20, streamId: 0, hex: FFMPEG_FCPUBLISH },
  { name: 'FFMPEG_CREATE_STREAM', from: 'ffmpeg', to: 'nginx', type: 20, streamId: 0, hex: FFMPEG_CREATE_STREAM },
  { name: 'FFMPEG_PUBLISH', from: 'ffmpeg', to: 'nginx', type: 20, streamId: 1, hex: FFMPEG_PUBLISH },
  { name: 'FFMPEG_SET_DATA_FRAME', from: 'ffmpeg', to: 'nginx', type: 18, streamId: 1, hex: FFMPEG_SET_DATA_FRAME },
  { name: 'FFMPEG_FCUNPUBLISH', from: 'ffmpeg', to: 'nginx', type: 20, streamId: 0, hex: FFMPEG_FCUNPUBLISH },
  { name: 'FFMPEG_DELETE_STREAM', from: 'ffmpeg', to: 'nginx', type: 20, streamId: 0, hex: FFMPEG_DELETE_STREAM },
  { name: 'NGINX_CONNECT_RESULT', from: 'nginx', to: 'ffmpeg', type: 20, streamId: 0, hex: NGINX_CONNECT_RESULT },
  { name: 'NGINX_CREATE_STREAM_RESULT', from: 'nginx', to: 'ffmpeg', type: 20, streamId: 0, hex: NGINX_CREATE_STREAM_RESULT },
  { name: 'NGINX_PUBLISH_START', from: 'nginx', to: 'ffmpeg', type: 20, streamId: 1, hex: NGINX_PUBLISH_START },
  { name: 'NGINX_UNPUBLISH_SUCCESS', from: 'nginx', to: 'ffmpeg', type: 20, streamId: 1, hex: NGINX_UNPUBLISH_SUCCESS },
  { name: 'RTMPDUMP_CONNECT', from: 'rtmpdump', to: 'nginx', type: 20, streamId: 0, hex: RTMPDUMP_CONNECT },
  { name: 'RTMPDUMP_CREATE_STREAM', from: 'rtmpdump', to: 'nginx', type: 20, streamId: 0, hex: RTMPDUMP_CREATE_STREAM },
  { name: 'RTMPDUMP_FCSUBSCRIBE', from: 'rtmpdump', to: 'nginx', type: 20, streamId: 0, hex: RTMPDUMP_FCSUBSCRIBE },
  { name: 'RTMPDUMP_PLAY', from: 'rtmpdump', to: 'nginx', type: 20, streamId: 1, hex: RTMPDUMP_PLAY },
  { name: 'NGINX_CREATE_STREAM_RESULT_TO_RTMPDUMP', from: 'nginx', to: 'rtmpdump', type: 20, streamId: 0, hex: NGINX_CREATE_STREAM_RESULT_TO_RTMPDUMP },
  { name: 'NGINX_PLAY_START', from: 'nginx', to: 'rtmpdump', type: 20, streamId: 1, hex: NGINX_PLAY_START },
  { name: 'NGINX_SAMPLE_ACCESS', from: 'nginx', to: 'rtmpdump', type: 18, streamId: 1, hex: NGINX_SAMPLE_ACCESS },
  { name: 'NGINX_ON_METADATA', from: 'nginx', to: 'rtmpdump', type: 18, streamId: 1, hex: NGINX_ON_METADATA },
];
