// The app's inline line icons (24×24, stroked with currentColor), so it needs no font or CDN.

/** An inline SVG icon from the set below. */
export function icon(name: IconName, extra = ""): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", `icon ${extra}`.trim());
  svg.innerHTML = ICONS[name];
  return svg;
}

const stroke = (d: string) =>
  `<path d="${d}" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`;

const ICONS = {
  play: stroke("M7 5v14l11-7z"),
  plus: stroke("M12 5v14M5 12h14"),
  upload: stroke("M12 16V4M7 9l5-5 5 5M5 20h14"),
  download: stroke("M12 4v12M7 11l5 5 5-5M5 20h14"),
  wrench: stroke(
    "M14.7 6.3a4 4 0 0 0-5.4 5.4L4 17l3 3 5.3-5.3a4 4 0 0 0 5.4-5.4l-2.6 2.6-2.4-.6-.6-2.4z",
  ),
  sparkles: stroke(
    "M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8zM19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z",
  ),
  clock: stroke("M12 7v5l3 2M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z"),
  radio: stroke(
    "M4.9 19.1a10 10 0 0 1 0-14.2M19.1 4.9a10 10 0 0 1 0 14.2M8.5 15.5a5 5 0 0 1 0-7M15.5 8.5a5 5 0 0 1 0 7M12 12h.01",
  ),
  check: stroke("M5 12.5l4.5 4.5L19 7.5"),
  x: stroke("M6 6l12 12M18 6L6 18"),
  hand: stroke(
    "M8 13V5.5a1.5 1.5 0 0 1 3 0V11M11 10.5v-7a1.5 1.5 0 0 1 3 0V11M14 10.5v-5a1.5 1.5 0 0 1 3 0V14a7 7 0 0 1-7 7h-.5a6 6 0 0 1-4.8-2.4L2.8 15a1.6 1.6 0 0 1 2.4-2.1L8 15",
  ),
  user: stroke("M16 7a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM4 21a8 8 0 0 1 16 0"),
  zap: stroke("M13 2L4 14h7l-1 8 9-12h-7z"),
  flag: stroke("M5 21V4M5 4h11l-2 4 2 4H5"),
  ban: stroke("M5.6 5.6l12.8 12.8M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0z"),
  fork: stroke(
    "M6 3v6a3 3 0 0 0 3 3h6a3 3 0 0 1 3 3v6M6 21v-6M18 3v2M6 15a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
  ),
  layers: stroke("M12 3l9 5-9 5-9-5zM3 13l9 5 9-5"),
  retry: stroke("M4 12a8 8 0 0 1 14-5.3L20 9M20 4v5h-5M20 12a8 8 0 0 1-14 5.3L4 15M4 20v-5h5"),
  dice: stroke(
    "M5 3h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zM8.5 8.5h.01M15.5 15.5h.01M12 12h.01",
  ),
  shield: stroke("M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4"),
  copy: stroke("M9 9h11v11H9zM5 15H4V4h11v1"),
  send: stroke("M22 2L11 13M22 2l-7 20-4-9-9-4z"),
  edit: stroke("M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4"),
  wifiOff: stroke(
    "M2 2l20 20M8.5 16.4a5 5 0 0 1 7 0M5 12.9a10 10 0 0 1 5.2-2.8M19 12.9a10 10 0 0 0-2.3-1.7M2 8.8a15 15 0 0 1 4.2-2.7M22 8.8A15 15 0 0 0 10.7 5M12 20h.01",
  ),
  database: stroke(
    "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
  ),
  chevron: stroke("M9 6l6 6-6 6"),
  inbox: stroke("M3 13l3-8h12l3 8v6H3zM3 13h5l1 3h6l1-3h5"),
} as const;

export type IconName = keyof typeof ICONS;
