/**
 * Hands decrypted bytes to the person as the file they were (SPEC §3, §7:
 * "view and download"): an object URL that lives only for the click, so the
 * plaintext never goes to a server or stays reachable afterwards.
 */
export function downloadBytes(bytes: Uint8Array, name: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime || 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
