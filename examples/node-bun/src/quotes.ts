export const quotes: string[] = [
  "Simplicity is prerequisite for reliability.",
  "Make it work, make it right, make it fast.",
  "Programs must be written for people to read.",
];
