// Browser tests remove the IndexedDB databases they made; a blocked or failed delete is not
// a test failure (the page goes away with its profile).

/** Deletes one database, resolving whatever the outcome. */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}
