import { describeTransportContract } from '../src/transport/transport.case.js';
import { ddsTestNetwork } from './support/ddsTestNetwork.js';

const network = ddsTestNetwork();

// Two participants in one process on one domain: Cyclone delivers between them as between any
// two DDS participants (matching, QoS, builtin-topic discovery), without the network hop.
describeTransportContract('DdsTransport (Cyclone DDS)', () => {
  const a = network.transport();
  const b = network.transport();
  return Promise.resolve({
    a,
    b,
    cleanup: async () => {
      await a.close();
      await b.close();
    },
  });
});
