export declare const MINIMUM_NODE_VERSION: string;
export declare function isSupportedNodeVersion(version: string): boolean;
export declare function unsupportedRuntimeMessage(command: string, version: string): string;
export declare function refuseUnsupportedRuntime(command: string): void;
