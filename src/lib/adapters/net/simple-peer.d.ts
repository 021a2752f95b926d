/**
 * Types for the part of simple-peer 9 used by webrtc-link.ts. The browser
 * build (simplepeer.min.js) is imported because the package's main entry
 * needs Node's `global`, which breaks Vite and esbuild browser builds.
 */
declare module 'simple-peer/simplepeer.min.js' {
  export interface SignalData {
    type?: string;
    sdp?: string;
    candidate?: RTCIceCandidateInit;
    renegotiate?: boolean;
    transceiverRequest?: unknown;
  }
  export interface SimplePeerOptions {
    initiator?: boolean;
    trickle?: boolean;
    config?: RTCConfiguration;
    channelConfig?: RTCDataChannelInit;
  }
  export interface SimplePeerInstance {
    readonly connected: boolean;
    readonly destroyed: boolean;
    readonly bufferedAmount: number;
    /** The underlying connection (simple-peer's own field; null once destroyed). */
    readonly _pc: RTCPeerConnection | null;
    signal(data: SignalData): void;
    send(data: Uint8Array): void;
    destroy(): void;
    on(event: 'signal', fn: (data: SignalData) => void): this;
    on(event: 'connect' | 'close', fn: () => void): this;
    on(event: 'data', fn: (data: unknown) => void): this;
    on(event: 'error', fn: (err: unknown) => void): this;
  }
  export type SimplePeerConstructor = new (opts?: SimplePeerOptions) => SimplePeerInstance;
  const SimplePeer: SimplePeerConstructor;
  export default SimplePeer;
}
