import { FilterMatchMode } from 'primereact/api';
import { Column } from 'primereact/column';
import { DataTable } from 'primereact/datatable';
import { InputText } from 'primereact/inputtext';
import { Tag } from 'primereact/tag';
import { useMemo, useState } from 'react';
import { Section } from './UiKit';

interface Row { id: number; name: string; phone: string; status: 'read' | 'delivered' | 'failed'; sent: number }

const NAMES = ['Amal', 'Basil', 'Dana', 'Fares', 'Hala', 'Jamal', 'Layla', 'Majed', 'Noor', 'Omar', 'Rania', 'Samir'];
const STATUS: Row['status'][] = ['read', 'delivered', 'failed'];

export default function TableDemo() {
	const rows = useMemo<Row[]>(() => Array.from({ length: 48 }, (_, i) => ({
		id: i + 1, name: `${NAMES[i % NAMES.length]} ${i + 1}`, phone: `+9665${String(10000000 + i * 7919).slice(0, 8)}`,
		status: STATUS[i % 3], sent: (i * 37) % 500,
	})), []);
	const [filters, setFilters] = useState({ global: { value: '' as string | null, matchMode: FilterMatchMode.CONTAINS } });
	const [selected, setSelected] = useState<Row[]>([]);
	return (
		<Section title="DataTable">
			<div className="flex justify-content-between align-items-center mb-3 flex-wrap gap-2">
				<span>{selected.length} selected</span>
				<span className="p-input-icon-left">
					<InputText placeholder="Search" aria-label="Search the table" value={filters.global.value ?? ''}
						onChange={(e) => setFilters({ global: { value: e.target.value, matchMode: FilterMatchMode.CONTAINS } })} />
				</span>
			</div>
			<DataTable value={rows} paginator rows={10} rowsPerPageOptions={[10, 25]} sortMode="multiple" removableSort dataKey="id"
				filters={filters} globalFilterFields={['name', 'phone', 'status']} selectionMode="checkbox" selection={selected}
				onSelectionChange={(e) => setSelected(e.value as Row[])} stripedRows size="small" aria-label="Contacts">
				<Column selectionMode="multiple" headerStyle={{ width: '3rem' }} />
				<Column field="name" header="Name" sortable />
				<Column field="phone" header="Phone" body={(r: Row) => <span dir="ltr">{r.phone}</span>} />
				<Column field="status" header="Status" sortable body={(r: Row) =>
					<Tag value={r.status} severity={r.status === 'failed' ? 'danger' : r.status === 'read' ? 'success' : 'info'} />} />
				<Column field="sent" header="Messages" sortable />
			</DataTable>
		</Section>
	);
}
