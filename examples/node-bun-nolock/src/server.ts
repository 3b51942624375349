const greetings = ["hello", "hallo", "bonjour", "hola", "ciao"];

const server = Bun.serve({
  port: Number(Bun.env.PORT ?? 3000),
  fetch(req) {
    const { pathname } = new URL(req.url);
    if (pathname === "/healthz") {
      return new Response("ok");
    }
    const word = greetings[Math.floor(Math.random() * greetings.length)];
    return Response.json({ greeting: word, runtime: `bun ${Bun.version}` });
  },
});

console.log(`listening on ${server.url}`);
