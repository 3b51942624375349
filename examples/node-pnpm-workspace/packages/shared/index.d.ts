export declare function formatPrice(cents: number): string;
