/** The Updraft mark: a rising curve on a teal tile. */
export function Logo({ size = 26 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="7" fill="#0f766e" />
      <path d="M7 23c5-1 8-5 9-13 1 8 4 12 9 13" stroke="#ccfbf1" strokeWidth="2.6" fill="none" strokeLinecap="round" strokeLinejoin="round" />
      <circle cx="16" cy="8" r="2" fill="#5eead4" />
    </svg>
  );
}
