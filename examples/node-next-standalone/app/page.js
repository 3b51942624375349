export default function Home() {
  return (
    <main>
      <h1>Hello from Next.js</h1>
      <p>Rendered on the server at {new Date().toISOString()}.</p>
    </main>
  );
}

// Render on every request, not once at build time.
export const dynamic = "force-dynamic";
