export const metadata = {
  title: "Next.js standalone example",
  description: "A minimal App Router app built with output: 'standalone'.",
};

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
