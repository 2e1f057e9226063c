// Saves a file through the browser's download (an <a download> click on an object URL).
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference by then; free ours a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
