import{I as t,D as o}from"./flowDiagram-MIYXRJYK-BXPtAmAy.js";import"./chunk-A3LLD7C6-jjiqTZ5b.js";import"./chunk-CG7VIXT6-BzzHE0zd.js";import"./chunk-AEP47HME-DrMq7YkP.js";import{m as e}from"./mermaid.esm.min-CQUw4W6D.js";import"./chunk-C7QCCU7L-CiH_p62f.js";import"../index-BtjO-fgM.js";var a=e(r=>`${o(r)}
  .swimlane.cluster:not([data-color-id]) rect {
    stroke: ${r.clusterBorder} !important;
  }
  [data-look="neo"].cluster rect {
    filter: none;
  }
`,"getStyles"),m=a,f=t({styles:m});export{f as diagram};
