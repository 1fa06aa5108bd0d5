/** The Edit and Delete buttons of an admin table row (Delete also off when the row may not be deleted). */
export function RowActions({ canWrite, onEdit, onDelete, deletable = true }: { canWrite: boolean; onEdit: () => void; onDelete: () => void; deletable?: boolean }) {
  return (
    <td className="num">
      <button className="btn btn-sm btn-ghost" disabled={!canWrite} onClick={onEdit}>
        Edit
      </button>
      <button className="btn btn-sm btn-ghost" disabled={!canWrite || !deletable} onClick={onDelete}>
        Delete
      </button>
    </td>
  );
}
