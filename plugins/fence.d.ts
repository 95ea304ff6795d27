// Types of plugins/fence.js: the ```normlab fence's text to attributes.
export declare const FENCE: 'normlab';
export declare const ATTRIBUTES: readonly string[];
export declare function isNormlabFence(info: string | null | undefined): boolean;
export declare function parseFence(text: string): { attributes: [string, string][]; error?: undefined } | { error: string; attributes?: undefined };
export declare function escapeHtml(text: string): string;
export declare function fenceHtml(text: string): string;
