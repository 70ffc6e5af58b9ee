import { renderToString } from "react-dom/server";
import { NonceProvider, useNonce } from "../../app/utils/nonce";

function InlineScript() {
  const nonce = useNonce();
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: "window.__x=1" }} />;
}

function Page() {
  return (
    <html lang="en">
      <body>
        <main>content</main>
        <InlineScript />
      </body>
    </html>
  );
}

describe("CSP nonce plumbing", () => {
  it("carries the request's nonce to <script nonce>", () => {
    const nonce = "rAnd0mNonce+/base64==";
    const html = renderToString(
      <NonceProvider value={nonce}>
        <Page />
      </NonceProvider>,
    );
    expect(html).toContain(`<script nonce="${nonce}">`);
  });

  it("gives each request its own nonce", () => {
    const a = renderToString(<NonceProvider value="first-nonce"><InlineScript /></NonceProvider>);
    const b = renderToString(<NonceProvider value="second-nonce"><InlineScript /></NonceProvider>);
    expect(a).toContain('nonce="first-nonce"');
    expect(b).toContain('nonce="second-nonce"');
    expect(b).not.toContain("first-nonce");
  });

  it("reads as empty without a provider (the browser side)", () => {
    const html = renderToString(<InlineScript />);
    expect(html).toContain('<script nonce="">');
  });
});
