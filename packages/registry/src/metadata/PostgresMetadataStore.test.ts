import { startPostgres } from '../testing/startPostgres.js';
import { describeMetadataStoreContract } from './metadataStore.case.js';
import { PostgresMetadataStore } from './PostgresMetadataStore.js';

describeMetadataStoreContract('PostgreSQL', async () => {
  const server = await startPostgres();
  return {
    open: () => PostgresMetadataStore.open({ connectionString: server.connectionString }),
    cleanup: () => server.stop(),
  };
});
