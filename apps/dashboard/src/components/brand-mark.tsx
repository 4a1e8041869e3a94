/** The product's mark: a speech bubble over a depth gauge. Decorative, so hidden from assistive tech. */
export function BrandMark({ size = 36 }: { size?: number }) {
  return (
    <svg
      className="brand-mark"
      width={size}
      height={size}
      viewBox="0 0 36 36"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="36" height="36" rx="9" fill="var(--color-accent)" />
      <path
        d="M10 12.5A3.5 3.5 0 0 1 13.5 9h9a3.5 3.5 0 0 1 3.5 3.5v6a3.5 3.5 0 0 1-3.5 3.5H17l-4.5 4v-4A3.5 3.5 0 0 1 10 18.5z"
        fill="var(--color-on-accent)"
      />
      <path d="M14 14.5h8M14 17.5h5" stroke="var(--color-accent)" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}
