import { FileUpload, type FileUploadSelectEvent } from 'primereact/fileupload';
import { useState } from 'react';
import { Section } from './UiKit';

/* Files are only listed here, never sent: a showcase, not an upload. */
export default function FileDemo() {
	const [picked, setPicked] = useState<string[]>([]);
	const pick = (e: FileUploadSelectEvent) => setPicked(e.files.map((f) => `${f.name} (${Math.ceil(f.size / 1024)} KB)`));
	return (
		<>
			<Section title="Advanced">
				<FileUpload name="demo[]" multiple accept="image/*" maxFileSize={2000000} customUpload uploadHandler={() => {}}
					onSelect={pick} emptyTemplate={<p className="m-0">Drag and drop images here.</p>} />
			</Section>
			<Section title="Basic">
				<FileUpload mode="basic" name="demo" accept="image/*" maxFileSize={2000000} customUpload onSelect={pick}
					chooseLabel="Choose" />
				{picked.length > 0 && <ul className="mt-3">{picked.map((p) => <li key={p}>{p}</li>)}</ul>}
			</Section>
		</>
	);
}
