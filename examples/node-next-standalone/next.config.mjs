/** @type {import('next').NextConfig} */
const nextConfig = {
  // Trace the server and the dependencies it uses into .next/standalone.
  output: "standalone",
};

export default nextConfig;
